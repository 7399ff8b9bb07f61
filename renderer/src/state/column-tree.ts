import type { ColumnNode } from '../../../shared/domain/settings';

/**
 * Pure edits of the settings column tree. A node is addressed by its index
 * path from the root ([0, 1] = second child of the first root); every edit
 * returns a new tree or a reason it was refused.
 */
export type TreePath = readonly number[];

export type TreeEditError = 'name_required' | 'name_duplicate' | 'not_found' | 'cannot_move';

export type TreeEditResult = { ok: true; tree: ColumnNode[] } | { ok: false; error: TreeEditError };

/** The node at `path`, or undefined. */
export function nodeAt(tree: readonly ColumnNode[], path: TreePath): ColumnNode | undefined {
  let level: readonly ColumnNode[] = tree;
  let node: ColumnNode | undefined;
  for (const index of path) {
    node = level[index];
    if (!node) return undefined;
    level = node.children;
  }
  return node;
}

/** Names along `path`, e.g. ['首页', '要闻动态']. */
export function namesAt(tree: readonly ColumnNode[], path: TreePath): string[] {
  const names: string[] = [];
  for (let depth = 1; depth <= path.length; depth++) {
    const node = nodeAt(tree, path.slice(0, depth));
    if (!node) return names;
    names.push(node.name);
  }
  return names;
}

/** Replaces the sibling list containing `path`'s last index (the whole tree when the parent is the root). */
function mapSiblings(
  tree: readonly ColumnNode[],
  parentPath: TreePath,
  edit: (siblings: ColumnNode[]) => ColumnNode[] | TreeEditError,
): TreeEditResult {
  if (parentPath.length === 0) {
    const edited = edit([...tree]);
    return typeof edited === 'string' ? { ok: false, error: edited } : { ok: true, tree: edited };
  }
  const [head, ...rest] = parentPath;
  const node = head === undefined ? undefined : tree[head];
  if (!node || head === undefined) return { ok: false, error: 'not_found' };
  const inner = mapSiblings(node.children, rest, edit);
  if (!inner.ok) return inner;
  const copy = [...tree];
  copy[head] = { ...node, children: inner.tree };
  return { ok: true, tree: copy };
}

function checkName(siblings: readonly ColumnNode[], name: string, except?: number): string | TreeEditError {
  const trimmed = name.trim();
  if (!trimmed) return 'name_required';
  if (siblings.some((sibling, i) => i !== except && sibling.name === trimmed)) return 'name_duplicate';
  return trimmed;
}

const isError = (value: string): value is TreeEditError =>
  value === 'name_required' || value === 'name_duplicate' || value === 'not_found' || value === 'cannot_move';

/** Appends a child named `name` under `parentPath` ([] adds a top-level column). */
export function addColumn(tree: readonly ColumnNode[], parentPath: TreePath, name: string): TreeEditResult {
  return mapSiblings(tree, parentPath, (siblings) => {
    const checked = checkName(siblings, name);
    if (isError(checked)) return checked;
    return [...siblings, { name: checked, children: [] }];
  });
}

/** Renames the node at `path`; siblings must keep distinct names. */
export function renameColumn(tree: readonly ColumnNode[], path: TreePath, name: string): TreeEditResult {
  const index = path.at(-1);
  if (index === undefined) return { ok: false, error: 'not_found' };
  return mapSiblings(tree, path.slice(0, -1), (siblings) => {
    const node = siblings[index];
    if (!node) return 'not_found';
    const checked = checkName(siblings, name, index);
    if (isError(checked)) return checked;
    siblings[index] = { ...node, name: checked };
    return siblings;
  });
}

/** Deletes the node at `path` together with its sub-columns. */
export function removeColumn(tree: readonly ColumnNode[], path: TreePath): TreeEditResult {
  const index = path.at(-1);
  if (index === undefined) return { ok: false, error: 'not_found' };
  return mapSiblings(tree, path.slice(0, -1), (siblings) => {
    if (!siblings[index]) return 'not_found';
    return siblings.filter((_, i) => i !== index);
  });
}

/** Moves the node at `path` up (-1) or down (+1) among its siblings. */
export function moveColumn(tree: readonly ColumnNode[], path: TreePath, delta: -1 | 1): TreeEditResult {
  const index = path.at(-1);
  if (index === undefined) return { ok: false, error: 'not_found' };
  return mapSiblings(tree, path.slice(0, -1), (siblings) => {
    const node = siblings[index];
    const target = index + delta;
    if (!node) return 'not_found';
    const other = siblings[target];
    if (!other) return 'cannot_move';
    siblings[target] = node;
    siblings[index] = other;
    return siblings;
  });
}
