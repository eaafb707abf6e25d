import { join } from 'node:path';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { ROOT } from './app.js';

/** The discovery fixture sites, one per family of portal, each on a loopback address of its own. */
export const SITE_FAMILIES = ['liferay', 'scripted', 'wordpress'] as const;
export type SiteFamily = (typeof SITE_FAMILIES)[number];

export const SITES_DIR = join(ROOT, 'tests/fixtures/sites');

const HOSTS: Record<SiteFamily, string> = { liferay: '127.0.0.1', scripted: '127.0.0.2', wordpress: '127.0.0.3' };

export function startSite(family: SiteFamily): Promise<ReplayPortal> {
  return startReplayPortal({ ...loadReplaySite(join(SITES_DIR, family)), host: HOSTS[family], port: 0 });
}

/** The articles each site publishes (titles), and nothing else. */
export const SITE_ARTICLES: Record<SiteFamily, string[]> = {
  liferay: [
    'Sở Nông nghiệp và Môi trường tổng kết công tác năm 2023, triển khai nhiệm vụ năm 2024',
    'Kiểm tra công tác chuẩn bị giống cây trồng cho vụ Đông Xuân tại huyện Hải Lăng',
    'Huyện Gio Linh có thêm ba xã đạt chuẩn nông thôn mới nâng cao',
    'Nông dân Triệu Phong thu hoạch dưa hấu trái vụ, lãi gần 60 triệu đồng mỗi hecta',
    'Ra quân trồng cây xanh đầu xuân tại khu vực rừng phòng hộ ven biển',
    'Hợp tác xã Hải Phú mở rộng vùng trồng dược liệu dưới tán rừng',
  ],
  scripted: [
    'Khai mạc Hội chợ thương mại Hành lang kinh tế Đông - Tây năm 2025',
    'Triển khai tiêm vắc xin phòng bệnh sởi cho trẻ em từ 1 đến 5 tuổi',
    'Hoàn thành sắp xếp đơn vị hành chính cấp xã trước thời hạn',
    'Đưa vào vận hành hệ thống camera giám sát giao thông tại Đông Hà',
    'Lễ hội Thống nhất non sông thu hút hàng vạn du khách',
  ],
  wordpress: [
    'Công an tỉnh tổng kết đợt cao điểm tấn công trấn áp tội phạm',
    'Cảnh báo thủ đoạn giả danh cơ quan công an gọi điện lừa đảo',
    'Trao tặng nhà tình nghĩa cho gia đình chính sách tại huyện Hướng Hóa',
    'Phá đường dây mua bán trái phép chất ma túy qua biên giới',
    'Đảm bảo trật tự an toàn giao thông mùa du lịch hè',
  ],
};
