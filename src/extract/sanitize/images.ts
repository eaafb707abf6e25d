/** Lazy images: the real source picked (data-src, srcset…), made absolute; tracking pixels and sourceless images out. */
import { type Element, removeNode, unwrap } from '../dom.js';
import { isTrackingImage, pickImageSource } from '../images.js';

export function resolveImages(baseUrl: string, imgs: readonly Element[], pictures: readonly Element[]): void {
  for (const img of imgs) {
    const src = pickImageSource(img, baseUrl);
    if (!src || isTrackingImage(img, src)) {
      removeNode(img);
      continue;
    }
    img.attribs.src = src;
  }
  pictures.forEach(unwrap);
}
