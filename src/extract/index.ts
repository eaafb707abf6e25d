export { extractArticle, type ExtractOptions } from './article.js';
export { extractListing, type ListingOptions } from './listing.js';
export { parseDate, dateFromUrlEpoch, DATE_LAYOUTS, type ParsedDate } from './dates.js';
export { sanitizeHtml } from './sanitize.js';
export { parseDocument, parseHtmlFragment } from './parse.js';
export { plainText } from './text.js';
export {
  classifyPage,
  readArticlePage,
  listingItems,
  describedItems,
  bodyIsList,
  walk,
  elementText,
  inChrome,
  URL_KINDS,
  urlKindOf,
  LISTING_MIN_ITEMS,
  type PageKind,
  type PageVerdict,
  type ArticlePage,
  type ListingItem,
} from './page-kind.js';
