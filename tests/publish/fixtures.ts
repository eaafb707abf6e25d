import type { CategoryInfo, Item } from '../../src/core/types.js';
import { FeedPublisher } from '../../src/publish/publisher.js';
import { silentLogger } from '../../src/core/log.js';
import { MemoryStore, uuidFromGuid } from './memory-store.js';

export const PUBLIC_URL = 'http://feeds.test:8080';

export const CATEGORIES: CategoryInfo[] = [
  { slug: 'xay-dung-dang', name: 'Xây dựng Đảng', description: 'Công tác xây dựng Đảng' },
  { slug: 'kinh-te', name: 'Kinh tế', description: 'Tin kinh tế' },
  { slug: 'rong', name: 'Rỗng', description: '' },
];

export const SOURCES = [
  { id: 'quangtri', name: 'Cổng TTĐT tỉnh Quảng Trị', baseUrl: 'https://www.quangtri.gov.vn', schedule: '*/15 * * * *' },
  { id: 'snnmt', name: 'Sở Nông nghiệp và Môi trường', baseUrl: 'https://snnmt.quangtri.gov.vn', schedule: '0 * * * *' },
];

export const HOSTILE_TITLE = 'A & B <script>alert("x")</script> "quotes" \'apos\' — Tiếng Việt: Đảng, Quảng Trị ]]>';

/** The canonical seed article (tests/fixtures/seed): title, lead, first body paragraphs. */
const SEED_PARAGRAPHS: string[] = [
  'Tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024',
  '(Cổng TTĐT) Ngày 19/1, Ban Thường vụ (BTV) Tỉnh ủy tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2023; triển khai nhiệm vụ năm 2024. Dự và chủ trì hội nghị có UVTƯ Đảng, Bí thư Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh Lê Quang Tùng; Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh Nguyễn Đăng Quang; Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Võ Văn Hưng; tham dự còn có các Ủy viên Thường vụ Tỉnh ủy; các ủy viên BCH Đảng bộ tỉnh.',
  'Năm 2023, Tỉnh uỷ, Ban Thường vụ Tỉnh ủy đã tập trung lãnh đạo, chỉ đạo nhiệm vụ phát triển kinh tế - xã hội, đảm bảo quốc phòng - an ninh, công tác đối ngoại. Tỉnh uỷ ban hành Kết luận về phương hướng, nhiệm vụ phát triển kinh tế-xã hội năm 2023 và 6 tháng đầu năm 2023; Kết luận về quy hoạch tỉnh Quảng Trị thời kỳ 2021-2030 làm cơ sở để Ban cán sự đảng UBND tỉnh hoàn thiện quy hoạch tỉnh trình Hội đồng quốc gia thẩm định, đã được Thủ tướng Chính phủ phê duyệt vào tháng 12/2023.',
  'Ban Thường vụ Tỉnh ủy, Thường trực Tỉnh ủy, Ban Chỉ đạo dự án động lực tỉnh đã tổ chức trên 34 phiên làm việc, ban hành 48 thông báo kết luận cho chủ trương, ý kiến chỉ đạo trên lĩnh vực kinh tế - xã hội.',
  'Tiếp tục chỉ đạo thực hiện quyết liệt, đồng bộ, hiệu quả Chương trình phục hồi phát triển kinh tế - xã hội và 3 Chương trình mục tiêu quốc gia trên địa bàn tỉnh, đặt quyết tâm cao đối với 4 huyện: Gio Linh, Vĩnh Linh, Triệu Phong, Hải Lăng đạt chuẩn nông thôn mới trước năm 2025.',
];

export function seedParagraphs(): string[] {
  return [...SEED_PARAGRAPHS];
}

let counter = 0;

export function makeItem(overrides: Partial<Item> = {}): Item {
  counter++;
  const url = overrides.url ?? `https://www.quangtri.gov.vn/tin-tuc/bai-viet-${counter}`;
  const guid = overrides.guid ?? url;
  const paragraphs = seedParagraphs();
  return {
    guid,
    id: uuidFromGuid(guid),
    url,
    aliases: [],
    sourceIds: ['quangtri'],
    title: paragraphs[0] ?? 'Tổng kết',
    publishedAt: new Date(Date.UTC(2024, 0, 19, 12, 48) + counter * 60_000).toISOString(),
    dateIsFirstSeen: false,
    firstSeenAt: '2024-01-19T13:00:00.000Z',
    updatedAt: null,
    author: 'Tiến Nhất',
    sourceName: 'Báo Quảng Trị',
    lead: paragraphs[1] ?? null,
    contentHtml: paragraphs
      .slice(2, 5)
      .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
      .join('\n'),
    text: paragraphs.slice(1, 5).join('\n\n'),
    image: 'https://www.quangtri.gov.vn/o/3cmsnew-portlet/ViewImage?imagename=hoi-nghi.png',
    section: 'Xây dựng Đảng',
    categories: ['xay-dung-dang'],
    places: [],
    contentHash: 'a'.repeat(64),
    simhash: '0123456789abcdef',
    ...overrides,
  };
}

export const FEED_OPTIONS = {
  title: 'Tin tức tỉnh Quảng Trị',
  description: 'Tin từ các cổng thông tin của tỉnh',
  language: 'vi',
  maxItems: 20,
  websubHub: null as string | null,
};

export function makePublisher(store: MemoryStore, feed: Partial<typeof FEED_OPTIONS> = {}): FeedPublisher {
  return new FeedPublisher({
    store,
    publicUrl: PUBLIC_URL,
    feed: { ...FEED_OPTIONS, ...feed },
    sources: SOURCES,
    categories: CATEGORIES,
    logger: silentLogger(),
  });
}
