// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { createStore, useStoreSelect } from '../../../renderer/src/state/store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const store = createStore({ meta: { title: '原标题' }, save: { kind: 'idle' } });
let renders = 0;

function TitleField() {
  renders += 1;
  const meta = useStoreSelect(store, (state) => state.meta);
  return createElement('span', null, meta.title);
}

describe('reading one part of a store', () => {
  it('re-renders a panel when its part changes, not when the save state changes while the writer types', () => {
    const host = document.createElement('div');
    const root = createRoot(host);
    act(() => root.render(createElement(TitleField)));
    expect(renders).toBe(1);
    act(() => store.set((state) => ({ ...state, save: { kind: 'saving' } })));
    act(() => store.set((state) => ({ ...state, save: { kind: 'saved' } })));
    expect(renders).toBe(1);
    act(() => store.set((state) => ({ ...state, meta: { title: '新标题' } })));
    expect(renders).toBe(2);
    expect(host.textContent).toBe('新标题');
    act(() => root.unmount());
  });
});
