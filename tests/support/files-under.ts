import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file below `root`, as sorted '/'-separated paths relative to it (what a published site or a workspace holds). */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(root, full).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}
