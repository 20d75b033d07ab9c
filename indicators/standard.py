"""The standard narrative outline the seed reports follow (Sở Nội vụ's guidance).

Every task and assessment section must be written before a report is submitted; the headings
(II, III) are written through their items, and "Kiến nghị, đề xuất" may be left empty."""

from .spec import OutlineSpec

STANDARD_OUTLINE = [
    OutlineSpec(
        "chi_dao",
        "I",
        "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        1,
        "Kế hoạch CCHC, kiểm tra, tuyên truyền, văn bản chỉ đạo đã ban hành.",
        required=True,
    ),
    OutlineSpec("ket_qua", "II", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 1),
    OutlineSpec(
        "the_che", "1", "Cải cách thể chế", 2, "Xây dựng, rà soát văn bản QPPL.", required=True
    ),
    OutlineSpec(
        "tthc",
        "2",
        "Cải cách thủ tục hành chính",
        2,
        "TTHC, một cửa, kết quả giải quyết hồ sơ.",
        required=True,
    ),
    OutlineSpec("bo_may", "3", "Cải cách tổ chức bộ máy hành chính nhà nước", 2, required=True),
    OutlineSpec("cong_vu", "4", "Cải cách chế độ công vụ", 2, required=True),
    OutlineSpec("tai_chinh", "5", "Cải cách tài chính công", 2, required=True),
    OutlineSpec(
        "cqs", "6", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 2, required=True
    ),
    OutlineSpec("danh_gia", "III", "ĐÁNH GIÁ CHUNG", 1),
    OutlineSpec("ket_qua_dat", "1", "Kết quả đạt được", 2, required=True),
    OutlineSpec("ton_tai", "2", "Tồn tại, hạn chế", 2, required=True),
    OutlineSpec("nguyen_nhan", "3", "Nguyên nhân", 2, required=True),
    OutlineSpec("phuong_huong", "IV", "PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", 1, required=True),
    OutlineSpec("kien_nghi", "V", "KIẾN NGHỊ, ĐỀ XUẤT", 1),
]
