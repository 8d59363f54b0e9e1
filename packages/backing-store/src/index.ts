/**
 * @openlsm/backing-store: what a plugin for a local target (LIO, tgt) needs besides its target: pools of
 * image files and block devices, its own small state file, and one lock for changes that span several files.
 */
export { ImageDirectory, IMAGE_NAME_MAX_LENGTH, validateImageName, type ImageInfo, type SpaceInfo } from './image-directory.js';
export { copyImageFile, type CopyMethod, type CopyOptions } from './copy.js';
export { blockDeviceInfo, splitDevno, type BlockDeviceInfo, type BlockDeviceOptions } from './block-device.js';
export { StateFile, STATE_FILE_MAX_BYTES, type StateCodec } from './state-file.js';
export { writeFileAtomic, syncDirectory, isAtomicTempName, type AtomicWriteOptions } from './atomic-file.js';
export { ExclusiveLock, type LockWaitOptions } from './lock.js';
