/** The field finders, one file per field under fields/: each returns the value and the rule that found it. */
export { type Found, type Lengths } from './fields/common.js';
export { anyRefTitle, findTitle, stripSiteName, titleBeforeBody, titleRefs } from './fields/title.js';
export { dateFromStructured, findDateLines } from './fields/date.js';
export { authorFromStructured, bylineName, findByline, personName } from './fields/byline.js';
export { findSourceLine, sourceCredit } from './fields/source.js';
export { findSection } from './fields/section.js';
export { findKeywords } from './fields/keywords.js';
