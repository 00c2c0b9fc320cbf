/**
 * `POST livechat/upload/:rid`: uploads are not offered (the config says `fileUpload: false`), so every upload is
 * refused in the shape the widget reads (`error.data.reason`, spec §1.2 #24), without reading the multipart body.
 */
import { AppError } from '../../../domain/errors.js';
import type { VisitorRouter } from './common.js';

export function uploadRoutes(router: VisitorRouter): void {
  router.post('/upload/:rid', (ctx) => {
    // The body stays unread; closing the connection spares Node draining a file we will not store.
    ctx.set('Connection', 'close');
    throw new AppError('error-file-upload-disabled', 'File upload is disabled', { reason: 'error-file-upload-disabled' });
  });
}
