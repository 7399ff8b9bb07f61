import type { ComponentProps } from 'react';

/** At least one file: what a pick hands over. */
export type PickedFiles = [File, ...File[]];

/**
 * A file input that hands over what was picked and then empties itself, so
 * picking the same file again (say, after fixing it) is a change again.
 * A cancelled pick hands over nothing.
 */
export function FileInput({
  onFiles,
  ...props
}: Omit<ComponentProps<'input'>, 'type' | 'onChange'> & { onFiles(files: PickedFiles): void }) {
  return (
    <input
      {...props}
      type="file"
      onChange={(event) => {
        // Copied first: emptying the input empties its file list too.
        const [first, ...rest] = [...(event.target.files ?? [])];
        event.target.value = '';
        if (first) onFiles([first, ...rest]);
      }}
    />
  );
}
