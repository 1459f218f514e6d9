/** The files recorded in bundle/built-from.json that changed since the bundle was made; throws ENOENT when there is no bundle. */
export function changedSinceBundle(packageDir?: URL): string[];
/** The bundle's main module when it is there and fresh, else undefined; TURNPOOL_BUNDLE=0 says undefined always. */
export function freshBundle(packageDir?: URL): string | undefined;
