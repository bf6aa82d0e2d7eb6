/** Where staging keeps a droplet's tarball and an app's build cache in the blobstore. */
export const dropletBlobKey = (guid: string): string => `droplets/${guid}`;
export const buildCacheBlobKey = (appGuid: string): string => `caches/${appGuid}`;
