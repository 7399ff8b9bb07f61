// The package ships no types; this declares only the calls deploy.ts makes.
declare module 'ssh2-sftp-client' {
  interface ConnectOptions {
    host: string;
    port?: number;
    username: string;
    password?: string;
    privateKey?: string | Buffer;
    passphrase?: string;
    readyTimeout?: number;
    retries?: number;
  }
  interface FileInfo {
    type: string;
    name: string;
    size: number;
  }
  export default class SftpClient {
    connect(options: ConnectOptions): Promise<unknown>;
    get(path: string): Promise<Buffer>;
    put(input: Buffer | string, path: string): Promise<string>;
    mkdir(path: string, recursive?: boolean): Promise<string>;
    rename(from: string, to: string): Promise<string>;
    posixRename(from: string, to: string): Promise<string>;
    delete(path: string, notFoundOK?: boolean): Promise<string>;
    exists(path: string): Promise<false | 'd' | '-' | 'l'>;
    list(path: string): Promise<FileInfo[]>;
    end(): Promise<boolean>;
  }
}
