import { sanitizeHtml } from '../../../src/extract/sanitize.js';
console.log(sanitizeHtml(`<div class="dt-content">
Thực hiện Luật Tiếp công dân:<br><br>
Chánh Thanh tra tỉnh tiếp công dân.<br><br>
<div>Cán bộ tiếp công dân có trách nhiệm.</div>
<div>Đề nghị công dân chấp hành. Đây là hoạt động thiết thực.</div>
</div>`, 'https://x.vn/'));
