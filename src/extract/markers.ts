/** Rules as data: the words and patterns the heuristics look for. Matched on folded text (no diacritics, lowercase). */

/** Headings that open a block of other articles: the heading, the list after it, and (at the end) the rest go. */
export const RELATED_MARKERS = [
  'cac tin khac',
  'tin khac',
  'tin lien quan',
  'bai viet lien quan',
  'bai lien quan',
  'tin cung chuyen muc',
  'tin moi',
  'tin moi hon',
  'tin cu hon',
  'tin moi nhat',
  'xem them',
  'doc them',
  'cac bai viet khac',
  'bai viet khac',
  'tin da dua',
  'tin bai khac',
  'tin noi bat',
  'tin xem nhieu',
  'co the ban quan tam',
  'ban co the quan tam',
  'related posts',
  'related articles',
  'you may also like',
  'more news',
  'cac tin da dua',
  'tin tuc lien quan',
  'y kien ban doc',
  'binh luan',
  'gui binh luan',
  'gui y kien',
  'y kien cua ban',
  'de lai binh luan',
  'leave a reply',
  'chia se bai viet',
  'tu khoa',
  'tags',
];

/** Whole lines that are boilerplate wherever they appear. */
export const BOILERPLATE_LINES: RegExp[] = [
  /^chi tiet bai viet tam thoi khong co\.?$/,
  /^(?:ban in|in bai(?: viet)?|in trang|gui email|gui bai viet|chia se|luu bai|quay lai|ve dau trang|dau trang|len dau trang|tro ve)$/,
  /^(?:co chu|font size)\s*[:：]?.*$/,
  /^(?:luot xem|luot doc|luot truy cap|so lan xem|luot thich|luot chia se|views?|aufrufe|gelesen|wyswietlen|vues|visitas|lecturas)\s*[:：]?\s*[\d.,\s]*(?:luot|lan|views?)?$/,
  /^[\d.,\s]+(?:luot xem|luot doc|lan xem|views|aufrufe|wyswietlen|vues|visitas|lecturas)$/,
  /^(?:danh gia|binh chon)\s*[:：]?\s*$/,
  /^(?:[\d.,]+\s*)?(?:like|share|thich|chia se)\s*\d*$/,
];

/** Words a share/print/email tool bar is made of; an element holding nothing else is dropped. */
export const SHARE_TOKENS = [
  'chia se',
  'in bai viet',
  'in bai',
  'ban in',
  'gui email',
  'gui mail',
  'email',
  'facebook',
  'zalo',
  'twitter',
  'linkedin',
  'print',
  'share',
  'tweet',
  'google',
  'luu tin',
  'luu',
  'copy link',
  'sao chep lien ket',
  'thich',
  'like',
  'in',
  'quay lai',
  'len dau trang',
  'dau trang',
  'co chu',
  'a\\+',
  'a-',
  'a',
  'messenger',
  'pinterest',
  'telegram',
  'rss',
  'gui',
  'cong',
  'tru',
  'nghe doc bai',
  'nghe bai viet',
  'doc bai',
  'phong to',
  'thu nho',
  'in trang',
  'luot xem',
  'luot doc',
  'luot truy cap',
  'luot thich',
  'views',
  'drucken',
  'teilen',
  'imprimer',
  'partager',
  'drukuj',
  'udostepnij',
  'imprimir',
  'compartir',
  'whatsapp',
  'xing',
];

/**
 * Labels of the furniture printed beside the date line (view counters, print, font size): a line holding one is
 * page chrome, never a lead.
 */
export const META_LABEL =
  /\b(?:luot xem|luot doc|luot truy cap|so lan xem|ngay dang|ngay cap nhat|cap nhat luc|co chu|in bai|ban in|gui email|views|aufrufe)\b/;

/** Share endpoints: links to them are tool-bar links, not content. */
export const SHARE_LINKS: RegExp[] = [
  /facebook\.com\/(?:sharer|share|dialog)/i,
  /twitter\.com\/(?:intent|share)/i,
  /x\.com\/intent/i,
  /sp\.zalo\.me/i,
  /zalo\.me\/share/i,
  /linkedin\.com\/share/i,
  /pinterest\.com\/pin/i,
  /^mailto:\?/i,
  /t\.me\/share/i,
  /plus\.google\.com\/share/i,
  /[?&](?:print|printmode|p_p_state=pop_up)/i,
];

/** Class/id hints: read as weights when scoring, never required. */
export const POSITIVE_HINT = /article|body|content|entry|hentry|main|page|post|text|blog|story|detail|noi-?dung|chi-?tiet|journal/;
export const NEGATIVE_HINT =
  /hidden|banner|combx|comment|com-|contact|foot|masthead|media-list|meta|outbrain|promo|related|lien-?quan|tin-?khac|other|scroll|share|social|sidebar|side-bar|sponsor|shopping|tags|tool|widget|menu|nav|breadcrumb|bread-?crum|pager|paging|pagination|advert|quang-?cao|popup|modal|header|login|search|rating|vote|poll/;
export const UNLIKELY_SEMANTIC = new Set(['nav', 'aside', 'footer', 'header', 'form', 'menu', 'dialog']);

/** Source credits: `Theo Báo Quảng Trị`, `Nguồn: TTXVN`, `(Theo TTXVN)`; group 1 is the source. */
export const SOURCE_CREDIT = /^[([]?\s*(?:nguon tin|trich nguon|nguon|theo)\s*[:：]?\s*(.{2,80}?)\s*[)\]]?\s*\.?$/i;

/** Byline prefixes: `Tác giả: X`, `Bài và ảnh: X`, `By X`. Group 1 is the name. */
export const BYLINE_PREFIX =
  /^(?:tac gia bai viet|ten tac gia|nguoi thuc hien|thuc hien|nhom phong vien|tac gia|nguoi viet|dang boi|viet boi|bai va anh|bai, anh|bai anh|bai|anh va bai|phong vien|pv|by|posted by|author)\s*[:：]\s*(.+)$|^(?:by|dang boi|viet boi|boi|von|par|autor)\s+(.+)$/i;

/** Words that open the name of an organisation, not a person: `Theo Báo Quảng Trị` credits a source, `Theo Lê Minh` an author. */
export const ORGANISATION_WORDS =
  /^(?:bao|tap chi|dai|truyen hinh|thong tan xa|ttxvn|vtv|vov|cong|trang|so|ban|ubnd|uy ban|hoi|trung tam|chi cuc|cuc|bo|vien|truong|cong ty|tong cuc|phong|huyen|tinh|thanh pho|xa|quan|tuoi tre|thanh nien|dan tri|vnexpress|vietnamnet|nhan dan|quan doi nhan dan|cand|tien phong|lao dong)\b/;

/** Suffixes allowed after an author name: `(tổng hợp)`, `(TH)`, `(st)`. */
// Also an affiliation: `Lê Minh (Sở TT&TT)`.
export const AUTHOR_SUFFIX = /\s*[([]\s*(?:tong hop|th|st|suu tam|bien dich|luoc dich|theo [^)\]]+|[^()[\]]{1,40})\s*[)\]]\s*$/i;

/** Values of author fields that are not people. */
export const NOT_AUTHORS: RegExp[] = [
  /^(?:admin|administrator|quan tri|quan tri vien|ban bien tap|bbt|webmaster|editor|user|unknown|khong ro|n\/a)$/,
  // A byline's prefix alone (its name sits in a sibling element).
  /^(?:boi|by|theo|tac gia|dang boi|viet boi|von|par|autor|author|posted by)$/,
  /cong (?:thong tin|ttdt|tt dien tu)|trang thong tin|website|portal/,
];

/** Parts of <title> that name the site rather than the article. */
export const SITE_NAME_HINTS =
  /cong (?:thong tin|ttdt|tt)|trang thong tin|trang tin|website|portal|cong an tinh|ubnd|uy ban nhan dan|so [a-z ]+ tinh|bao [a-z ]+|tinh quang tri|\.gov\.vn|\.vn$/;

/** Labels of a breadcrumb that are not sections. */
export const BREADCRUMB_SKIP = /^(?:trang chu|home|trang nhat|chi tiet|chi tiet tin|chi tiet bai viet|>|»|\/)$/;

/** Descriptions that present the site rather than the article (matched at the start of folded text). */
export const GENERIC_DESCRIPTION = /^(?:trang thong tin|cong thong tin|trang tin dien tu|website|trang web|chao mung|welcome)/;

/** A source line outside the body must carry its colon: `Nguồn tin: …`, `Theo: …`. */
export const SOURCE_LINE = /^(?:nguon tin|nguon|trich nguon|theo)\s*[:：]/;

/** Links to attached documents: an article may be a line of text and one of these. */
export const DOCUMENT_LINK = /\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|rar|zip|7z)(?:$|[?#/])|\/documents\/\d/i;

/** Error pages served with status 200: a title or short body saying so is no article. Folded text. */
export const ERROR_PAGE =
  /\b(?:khong tim thay (?:trang|bai viet|noi dung|tin)|(?:trang|bai viet|noi dung|tin bai) (?:ban (?:yeu cau|tim) )?khong ton tai|page not found|not found|loi 404|error 404|404 error|da xay ra loi|co loi xay ra|bai viet da bi go|truy cap bi tu choi|access denied)\b/;
