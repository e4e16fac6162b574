// SEAL objects live in wasm memory that JavaScript's garbage collector never frees: every
// object made during an operation is owned by a scope and deleted in the operation's finally.

import type { ClassHandle } from 'node-seal';

export class HandleScope {
  readonly #handles: ClassHandle[] = [];

  own<T extends ClassHandle>(handle: T): T {
    this.#handles.push(handle);
    return handle;
  }

  deleteAll(): void {
    for (const handle of this.#handles.splice(0).reverse()) {
      if (!handle.isDeleted()) handle.delete();
    }
  }
}
