import { extractArticle } from '../../../src/extract/article.js';
const P = (n: number) => `<p>Đoạn văn số ${n} của bài viết, có nội dung dài đủ để được xem là một đoạn văn thật sự trong bài, với nhiều dấu phẩy, nhiều thông tin về kinh tế, xã hội.</p>`;
const html = `<html><head><title>Hội nghị tổng kết công tác năm 2024 của ngành nông nghiệp - Cổng TTĐT tỉnh Quảng Trị</title></head><body>
<div class="a1"><a href="/">Trang chủ</a></div><div class="b2"><h1 class="c3">Hội nghị tổng kết công tác năm 2024 của ngành nông nghiệp</h1><div class="d4">20/12/2024 08:00</div>
<div class="e5">${P(1)}${P(2)}<div class="x9"><ul><li><a href="/tin-tuc/bai-mot-ve-nong-nghiep-4411">Nông dân Cam Lộ thu hoạch hồ tiêu được mùa được giá</a></li><li><a href="/tin-tuc/bai-hai-4412">Hải Lăng triển khai mô hình lúa hữu cơ trên diện rộng</a></li><li><a href="/tin-tuc/bai-ba-4413">Gio Linh phát triển chăn nuôi theo hướng an toàn sinh học</a></li></ul></div>${P(3)}${P(4)}
<p>Đọc thêm: <a href="/tin-tuc/bai-bon-4414">Triệu Phong ra quân làm thủy lợi nội đồng</a></p>${P(5)}</div></div>
<div class="f6"><div class="g7">Tin mới nhất</div><ul><li><a href="/tin-tuc/x-1">Tin mới số một về giáo dục của tỉnh</a></li><li><a href="/tin-tuc/x-2">Tin mới số hai về y tế của tỉnh nhà</a></li></ul></div></body></html>`;
const a = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/hoi-nghi-2024', { now: new Date('2025-06-01') });
console.log(a.contentHtml);
