import type { ExportedFile } from '../../../shared/api/contract';

/** Base64 of raw bytes, in chunks so large files do not overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Raw bytes of base64 text (binary exports such as PDF and packages). */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads a picked file for the API (which carries files as base64). */
export async function readFileAsBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

/** Lets the browser save an exported article through a temporary link. */
export function downloadExportedFile(file: ExportedFile): void {
  const body = file.encoding === 'base64' ? base64ToBytes(file.content) : file.content;
  const url = URL.createObjectURL(new Blob([body as BlobPart], { type: file.mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some engines.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The path a file was picked under (folder picks carry it), else its name. */
export function displayPath(file: File): string {
  return file.webkitRelativePath || file.name;
}
