/** Rules as data: the words and patterns the heuristics look for. Matched on folded text (no diacritics, lowercase). */
import { foldVietnamese } from '../core/text.js';

/** Written as pages print them, matched as folded text: `Das könnte Sie auch interessieren!` → `das konnte sie auch interessieren!`. */
const folded = (labels: string[]): string[] => labels.map((l) => foldVietnamese(l).replace(/\s+/g, ' ').trim());

/**
 * Headings and labels that open a block of other articles, comments, sharing, a newsletter sign-up or the author's
 * box: the heading, the list after it, and (at the end) the rest go. Short standalone labels only, never phrases
 * that prose would hold.
 */
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
  ...folded([
    // English
    'related',
    'related stories',
    'related content',
    'related news',
    'related links',
    'related reading',
    'related topics',
    'related coverage',
    'explore further',
    'you might also like',
    'you may be interested in',
    'you might be interested in',
    'recommended',
    'recommended for you',
    'recommended articles',
    'recommended stories',
    'more stories',
    'more articles',
    'more on this topic',
    'more on this story',
    'read more',
    'read also',
    'also read',
    'read next',
    'see also',
    'further reading',
    'what to read next',
    'keep reading',
    'most popular',
    'most read',
    'popular posts',
    'latest news',
    'latest posts',
    'recent posts',
    'trending',
    "don't miss",
    'comments',
    'comment',
    'leave a comment',
    'post a comment',
    'join the discussion',
    'join the conversation',
    'share',
    'share this',
    'share this article',
    'share this story',
    'share this post',
    'share this page',
    'share on',
    'about the author',
    'while you are here',
    "while you're here",
    'published by',
    'newsletter',
    'sign up for our newsletter',
    'subscribe to our newsletter',
    'topics',
    'sources',
    // German
    'Das könnte Sie auch interessieren',
    'Das könnte dich auch interessieren',
    'Dies könnte Sie auch interessieren',
    'Das könnte Ihnen auch gefallen',
    'Das könnte dir auch gefallen',
    'Auch interessant',
    'Ebenfalls interessant',
    'Interessant für Sie',
    'Schon gelesen',
    'Mehr zum Thema',
    'Mehr zu diesem Thema',
    'Zum Thema',
    'Passend zum Thema',
    'Weitere Artikel',
    'Weitere Beiträge',
    'Weitere Nachrichten',
    'Weitere Meldungen',
    'Mehr Artikel',
    'Mehr Nachrichten',
    'Ähnliche Artikel',
    'Ähnliche Beiträge',
    'Verwandte Artikel',
    'Verwandte Beiträge',
    'Empfohlene Artikel',
    'Empfohlene Beiträge',
    'Weiterführende Artikel',
    'Weiterführende Artikel zu diesem Thema',
    'Weiterführende Links',
    'Lesen Sie auch',
    'Lesen Sie mehr',
    'Lesen Sie auch die folgenden Beiträge',
    'Lies auch',
    'Lesetipp',
    'Lesetipps',
    'Redaktionstipp',
    'Unsere Empfehlung',
    'Unsere Empfehlungen',
    'Weiterlesen',
    'Zum Weiterlesen',
    'Weitere Informationen',
    'Mehr Informationen',
    'More information',
    'Siehe auch',
    'Artikel und Videos zum Thema',
    'Mehr lesen',
    'Auch lesen',
    'Mehr Themen',
    'Weiterführender Link',
    'Meistgelesen',
    'Meistgelesene Artikel',
    'Beliebte Beiträge',
    'Neueste Beiträge',
    'Neueste Artikel',
    'Aktuelle Beiträge',
    'Zugehörige Themenseiten',
    'Vorschau auf den nächsten Artikel',
    'Kommentare',
    'Kommentar',
    'Kommentieren',
    'Kommentar schreiben',
    'Schreibe einen Kommentar',
    'Hinterlasse einen Kommentar',
    'Leserkommentare',
    'Diskutieren Sie mit',
    'Teilen',
    'Artikel teilen',
    'Beitrag teilen',
    'Seite teilen',
    'Diesen Artikel teilen',
    'Teilen mit',
    'Über den Autor',
    'Über die Autorin',
    'Zur Person',
    'Veröffentlicht von',
    'Newsletter abonnieren',
    'Schlagworte',
    'Quellen',
    'Quellenangaben',
    'Schlagwörter',
    'Themen',
    // French
    'À lire aussi',
    'Lire aussi',
    'À lire également',
    'Voir aussi',
    'Sur le même sujet',
    'Articles similaires',
    'Articles liés',
    'Dans la même rubrique',
    'Vous aimerez aussi',
    'Vous aimerez peut-être aussi',
    'À découvrir aussi',
    'Les plus lus',
    'Commentaires',
    'Laisser un commentaire',
    'Partager',
    'Partager cet article',
    "À propos de l'auteur",
    'Mots-clés',
    // Spanish
    'Lea también',
    'Lee también',
    'Lea más',
    'Lee más',
    'Te puede interesar',
    'Le puede interesar',
    'Puede interesarte',
    'Te podría interesar',
    'También te puede interesar',
    'Mirá también',
    'Mira también',
    'Vea también',
    'Ver también',
    'Noticias relacionadas',
    'Artículos relacionados',
    'Contenido relacionado',
    'Relacionado',
    'Relacionadas',
    'Temas relacionados',
    'Más noticias',
    'Lo más leído',
    'Más leídas',
    'Comentarios',
    'Deja un comentario',
    'Compartir',
    'Comparte',
    'Sobre el autor',
    'Etiquetas',
    // Portuguese
    'Leia também',
    'Leia mais',
    'Veja também',
    'Notícias relacionadas',
    'Artigos relacionados',
    'Você pode gostar',
    'Mais lidas',
    'Comentários',
    'Deixe um comentário',
    'Compartilhe',
    'Sobre o autor',
    // Italian
    'Leggi anche',
    'Potrebbe interessarti',
    'Ti potrebbe interessare',
    'Articoli correlati',
    'Notizie correlate',
    'Correlati',
    'I più letti',
    'Commenti',
    'Lascia un commento',
    'Condividi',
    // Dutch
    'Lees ook',
    'Lees meer',
    'Gerelateerde artikelen',
    'Gerelateerd',
    'Meer nieuws',
    'Reacties',
    'Plaats een reactie',
    'Delen',
    // Polish
    'Czytaj także',
    'Czytaj też',
    'Czytaj więcej',
    'Zobacz też',
    'Zobacz także',
    'Polecamy',
    'Powiązane artykuły',
    'Podobne artykuły',
    'Najczęściej czytane',
    'Komentarze',
    'Udostępnij',
    // Finnish, Swedish
    'Lue myös',
    'Lue lisää',
    'Lue seuraavaksi',
    'Lue aiheesta lisää',
    'Kommentit',
    'Läs också',
    'Läs även',
    'Läs mer',
    // Russian
    'Читайте также',
    'Смотрите также',
    'Похожие статьи',
    'Похожие новости',
    'Новости по теме',
    'Материалы по теме',
    'Комментарии',
    'Поделиться',
    // Chinese, Japanese
    '相关文章',
    '相关阅读',
    '相关新闻',
    '推荐阅读',
    '延伸阅读',
    '猜你喜欢',
    '相關文章',
    '相關新聞',
    '延伸閱讀',
    '推薦閱讀',
    '関連記事',
    '関連ニュース',
    'おすすめ記事',
    'あわせて読みたい',
    '人気記事',
  ]),
];

/** Box headings in their many wordings (`Diese Artikel könnten dich ebenfalls interessieren`, `Articles you may like`). Folded text. */
export const RELATED_HEADINGS: RegExp[] = [
  /^(?:das|dies|diese[rs]?|folgende[rs]?)(?: \p{L}+)? (?:konnten?|durften?) (?:sie|dich|ihnen|dir|euch) (?:auch|ebenfalls|ausserdem|zudem) (?:interessieren|gefallen)$/u,
  /^(?:\p{L}+ )?you (?:may|might|could|will|'ll) (?:also )?(?:like|enjoy|be interested in)$/u,
];

/** Labels that open a link to another article only with a colon after them (`Lea: <a>…</a>`, `Mehr dazu: <a>…</a>`). */
export const LINK_LABELS = folded([
  'Lea',
  'Lee',
  'Mira',
  'Mire',
  'Vea',
  'Puedes ver',
  'Te recomendamos',
  'Mehr dazu',
  'Siehe auch',
  'Lesen Sie',
  'Ver más',
  'Also',
  'Related',
]);

/** Whole lines that are boilerplate wherever they appear. */
export const BOILERPLATE_LINES: RegExp[] = [
  /^chi tiet bai viet tam thoi khong co\.?$/,
  /^(?:ban in|in bai(?: viet)?|in trang|gui email|gui bai viet|chia se|luu bai|quay lai|ve dau trang|dau trang|len dau trang|tro ve)$/,
  /^(?:co chu|font size)\s*[:：]?.*$/,
  /^(?:luot xem|luot doc|luot truy cap|so lan xem|so luot xem|so luot doc|luot thich|luot chia se|views?|aufrufe|gelesen|wyswietlen|vues|visitas|lecturas)\s*[:：]?\s*[\d.,\s]*(?:luot|lan|views?)?$/,
  /^[\d.,\s]+(?:luot xem|luot doc|lan xem|views|aufrufe|wyswietlen|vues|visitas|lecturas)$/,
  /^(?:danh gia|binh chon)\s*[:：]?\s*$/,
  /^(?:[\d.,]+\s*)?(?:like|share|thich|chia se)\s*\d*$/,
  // Advertising labels.
  /^[-–—[(\s]*(?:advertisement|anzeige|werbung|reklama|publicidad|publicite|pubblicita|sponsored|gesponsert|advertentie)[-–—\])\s:]*$/,
  // Picture credits and copyright lines: `Foto: dpa`, `Photo by X on Unsplash`, `(Quelle: DJV)`, `© 2020 X`.
  /^[([]?\s*(?:fotos?|bild(?:er|quelle|nachweis)?|titelbild|beitragsbild|fotonachweis|photos?|photograph|photo credits?|images?|credits?(?: photos?)?|creditos?|quelle)\s*(?:[:©|/]|(?:by|von|via|de)\b)/,
  /^(?:copyright\b|©|\(c\)\s*\d{4})|\b(?:all rights reserved|alle rechte vorbehalten|tous droits reserves|todos los derechos reservados)\b/,
  // What a widget prints while it loads, or when it has nothing.
  /^(?:wird geladen|loading|chargement|cargando)\s*(?:\.\.\.|…)?$/,
  /^\(?(?:noch keine bewertungen|no ratings yet|noch keine kommentare|no comments yet)\)?\.?$/,
  // Newsletter sign-ups and the links back to the site's pages.
  /^(?:join|jetzt|melden sie sich|abonnieren sie|inscrivez-vous).{0,70}\bnewsletters?\b/,
  /^(?:sign up|subscribe|suscribete|suscribase|abonnez-vous|abonniere|jetzt abonnieren|follow us|folgen sie uns|folge uns|siguenos|suivez-nous|seguici)\b/,
  /^(?:war (?:der|dieser) (?:artikel|beitrag) (?:hilfreich|nutzlich)|was this (?:article|page|post) (?:helpful|useful))\s*\??$/,
  /^this entry was posted\b|^(?:posted in|filed under|kategorien?|categories|category)\s*:/,
  /^(?:zur startseite|zuruck(?: zur (?:ubersicht|listenansicht|startseite|vorherigen seite))?|nach oben|zum seitenanfang|back to top|back to (?:home|overview)|retour en haut|volver arriba)$/,
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
 * page chrome, never a lead or a title.
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
/** Class/id hints of an author's box (name, portrait, bio, profile links) or a caption's credit: chrome when short. */
export const AUTHOR_HINT = /author|autor|avatar|byline|profile|sabox|(?:^|[\s_-])bio(?:$|[\s_-])/;
export const UNLIKELY_SEMANTIC = new Set(['nav', 'aside', 'footer', 'header', 'form', 'menu', 'dialog']);

/** Source credits: `Theo Báo Quảng Trị`, `Nguồn: TTXVN`, `(Theo TTXVN)`; group 1 is the source. */
export const SOURCE_CREDIT = /^[([]?\s*(?:nguon tin|trich nguon|nguon|theo)\s*[:：]?\s*(.{2,80}?)\s*[)\]]?\s*\.?$/i;

/** Byline prefixes: `Tác giả: X`, `Bài và ảnh: X`, `Tin, ảnh: X`, `By X`. Group 1 is the name. */
export const BYLINE_PREFIX =
  /^(?:tac gia bai viet|ten tac gia|nguoi thuc hien|thuc hien|nhom phong vien|tac gia|nguoi viet|dang boi|viet boi|bai va anh|bai, anh|bai - anh|bai anh|bai|anh va bai|tin va anh|tin, anh|tin - anh|tin anh|anh va tin|nhom pv|phong vien|pv|by|posted by|author)\s*[:：]\s*(.+)$|^(?:by|dang boi|viet boi|boi|von|par|autor)\s+(.+)$/i;

/** A byline's prefix printed alone (`<div>Bởi</div> <a>name</a>`, tagDiv): the name is the next element. Folded. */
export const BYLINE_PREFIX_ALONE = /^(?:boi|by|tac gia|dang boi|viet boi|posted by|von|par|autor|author)\s*[:：]?$/;

/** Words that open the name of an organisation, not a person: `Theo Báo Quảng Trị` credits a source, `Theo Lê Minh` an author. */
export const ORGANISATION_WORDS =
  /^(?:bao|tap chi|dai|truyen hinh|thong tan xa|ttxvn|vtv|vov|cong|trang|so|ban|ubnd|uy ban|hoi|trung tam|chi cuc|cuc|bo|vien|truong|cong ty|tong cuc|phong|huyen|tinh|thanh pho|xa|quan|tuoi tre|thanh nien|dan tri|vnexpress|vietnamnet|nhan dan|quan doi nhan dan|cand|tien phong|lao dong)\b/;

/** Suffixes allowed after an author name: `(tổng hợp)`, `(TH)`, `(st)`. */
// Also an affiliation: `Lê Minh (Sở TT&TT)`.
export const AUTHOR_SUFFIX = /\s*[([]\s*(?:tong hop|th|st|suu tam|bien dich|luoc dich|theo [^)\]]+|[^()[\]]{1,40})\s*[)\]]\s*$/i;

/** Values of author fields that are not people. */
export const NOT_AUTHORS: RegExp[] = [
  // CMS account names (Joomla's `Super User`), not a person who wrote the article.
  /^(?:admin|administrator|super ?user|super ?admin|sysadmin|root|guest|quan tri|quan tri vien|quan tri he thong|ban bien tap|bbt|webmaster|editor|user|unknown|khong ro|n\/a)$/,
  // A byline's prefix alone (its name sits in a sibling element).
  /^(?:boi|by|theo|tac gia|dang boi|viet boi|von|par|autor|author|posted by)$/,
  /cong (?:thong tin|ttdt|tt dien tu)|trang thong tin|website|portal/,
];

/** Parts of <title> that name the site rather than the article. */
export const SITE_NAME_HINTS =
  /cong (?:thong tin|ttdt|tt)|trang thong tin|trang tin|website|portal|cong an tinh|ubnd|uy ban nhan dan|so [a-z ]+ tinh|bao [a-z ]+|tinh quang tri|\.gov\.vn|\.vn$/;

/** Labels of a breadcrumb that are not sections. */
export const BREADCRUMB_SKIP = /^(?:trang chu|home|trang nhat|chi tiet|chi tiet tin|chi tiet bai viet|>|»|\/)$/;

/** The label of a date line that says it is the publication's (`Ngày đăng: …`, `Đăng lúc …`). Folded. */
export const PUBLISHED_LABEL =
  /\b(?:ngay dang|dang luc|dang ngay|ngay xuat ban|xuat ban luc|ngay phat hanh|published|posted on|veroffentlicht|publie le)\b/;

/**
 * `Cập nhật lúc …`, `Ngày cập nhật …`: many portals print their only date so, and it is then the publication's; beside
 * a line labelled as the publication (PUBLISHED_LABEL) it is the last change. Folded.
 */
export const UPDATED_LABEL = /\b(?:cap nhat|updated|aktualisiert|mis a jour)\b/;

/** Labels of the site's whole news listing (`/tin-tuc/` above `/tin-tuc/slug`): a folder of every article, no section. Folded. */
export const NEWS_ROOT_LABELS = /^(?:tin tuc|tin|tin bai|bai viet|news|articles?|posts?|blog|nachrichten|actualites|noticias)$/;

/** The label of a line naming the last change of an article (`Sửa lần cuối vào …`, `Cập nhật lần cuối: …`). Folded. */
export const MODIFIED_LABEL =
  /\b(?:sua lan cuoi|chinh sua lan cuoi|cap nhat lan cuoi|sua doi lan cuoi|last (?:modified|updated|edited)|updated on|zuletzt (?:aktualisiert|geandert)|derniere mise a jour|ultima actualizacion)\b/;

/** The label a printed tag list opens with (`Từ khóa:`, `Tags`, `Tag :`): the whole of its text node, folded. */
export const TAG_LIST_LABEL = /^\s*(?:tu khoa|tags?|the|the tag|keywords?|schlagworte|schlagworter|mots-cles|etiquetas)\s*[:：]?\s*$/;

/** Titles of a CMS's article view rather than of the article (`Chi tiết tin - Sở Tài chính`): folded, whole text. */
export const GENERIC_PAGE_TITLES =
  /^(?:chi tiet|chi tiet tin(?: tuc)?|chi tiet bai viet|tin chi tiet|noi dung chi tiet|xem tin|xem chi tiet|bai viet|tin tuc chi tiet|news detail|article detail|detail)$/;

/** Descriptions that present the site rather than the article (matched at the start of folded text). */
export const GENERIC_DESCRIPTION = /^(?:trang thong tin|cong thong tin|trang tin dien tu|website|trang web|chao mung|welcome)/;

/** A source line outside the body must carry its colon: `Nguồn tin: …`, `Theo: …`. */
export const SOURCE_LINE = /^(?:nguon tin|nguon|trich nguon|theo)\s*[:：]/;

/** Links to attached documents: an article may be a line of text and one of these. */
export const DOCUMENT_LINK = /\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|rar|zip|7z)(?:$|[?#/])|\/documents\/\d/i;

/** Error pages served with status 200: a title or short body saying so is no article. Folded text. */
export const ERROR_PAGE =
  /\b(?:khong tim thay (?:trang|bai viet|noi dung|tin)|(?:trang|bai viet|noi dung|tin bai) (?:ban (?:yeu cau|tim) )?khong ton tai|page not found|not found|loi 404|error 404|404 error|da xay ra loi|co loi xay ra|bai viet da bi go|truy cap bi tu choi|access denied)\b/;

/**
 * Short lines inside the body that are no article text, by kind (the kind shows in inspect's `rules.pruned`). Folded
 * text, tested on blocks without block children up to `PRUNED_LINE_MAX` characters. Captions stay in the text, except
 * those carrying a picture credit: the trafilatura set counts them as chrome (30 of its unwanted snippets).
 */
export const PRUNED_LINES: Record<string, RegExp[]> = {
  'credit-caption': [
    /©|\(c\)\s/,
    /(?:^|[\s(|–-])(?:fotos?|bild(?:er)?|photos?|quelle|credits?)\s*:\s*\S/,
    /shutterstock|getty ?images|istock|stock\.adobe|adobe ?stock|picture.alliance|imago|unsplash|pixabay|pixelio|reuters\/|afp\/|\/afp\b|\bap photo\b/,
    /^(?:abbildung|abb\.|fig\.|figure)\s*\d*\s*:/,
  ],
  'call-to-action': [
    /\b(?:newsletters?|sign(?:ing)? up|subscribe|subscriber|abonnieren|abonniere|suscribete|suscribase|subskrypcj\w*|abonnez-vous|kostenlos anmelden|jetzt (?:auch )?digital|hazte miembro|jede kleine spende)\b/,
    /\b(?:follow (?:us|the \w+) on|folgen sie uns|folge (?:uns|mir)|siguenos|suivez-nous|canal de (?:telegram|youtube|whatsapp)|download the .{0,30}apps?|get the .{0,40} app|unseren (?:fan-?)?shop|gefallt (?:dir|ihnen) unser)\b/,
    // Donation appeals.
    /\b(?:unterstutzen sie (?:diese form|unabhangigen)|unterstutze uns|jetzt spenden|spenden sie|wesprzyj nas|support (?:our|independent) journalism)\b/,
  ],
  consent: [
    /\b(?:externer inhalt|empfohlener redaktioneller inhalt|wir respektieren (?:deine|ihre) privatsphare)\b|um den inhalt von .{0,60} zu laden/,
  ],
  'date-line': [
    /^(?:(?:aktualisiert|publiziert|stand|updated|published|release date|news date|last modified|datum|date)\s*(?:am|on)?\s*:?\s*)?(?:\d{1,2}[./ ]\s*(?:\d{1,2}|[a-z]+\.?)[./ ]\s*\d{2,4}|[a-z]+ \d{1,2},? \d{4}|\d{4}-\d\d-\d\d|(?:januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember|january|february|march|may|june|july|october|december) \d{4})(?:,?\s*(?:um\s*)?\d{1,2}[:.]\d\d(?:\s*(?:uhr|am|pm))?)?$/,
    /^\d+\s*(?:min(?:ute)?s?\.?|minuten)\s*(?:read|lesezeit|lesedauer|de lectura)$|^(?:lesezeit|lesedauer|reading time)\s*:?\s*\d+\s*(?:min\w*)?$/,
  ],
};
/** Characters: longer blocks are paragraphs, which a credit or a sign-up phrase inside does not make chrome. */
export const PRUNED_LINE_MAX: Record<string, number> = { 'credit-caption': 300, 'call-to-action': 250, consent: 300, 'date-line': 60 };
