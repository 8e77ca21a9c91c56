"""One realistic author definition per question type, with every secret filled in.

``SECRETS`` lists, per type, strings that must never reach a trainee through ``public()``.
"""

SAMPLES = {
    "single_choice": {
        "choices": [
            {"text": "Bộ Ngoại giao", "fraction": 1, "feedback": "Chính xác: Bộ Ngoại giao chủ trì."},
            {"text": "Bộ Công Thương", "feedback": "Không phải cơ quan chủ trì."},
            {"text": "Bộ Thông tin và Truyền thông", "fraction": 0.5, "feedback": "Gần đúng, phối hợp."},
        ],
        "general_feedback": "Xem Nghị định 72/2015/NĐ-CP.",
    },
    "multiple_choice": {
        "choices": [
            {"text": "Lào", "correct": True, "feedback": "Lào là thành viên ASEAN."},
            {"text": "Campuchia", "correct": True, "feedback": "Campuchia là thành viên ASEAN."},
            {"text": "Nhật Bản", "correct": False, "feedback": "Nhật Bản là đối tác, không phải thành viên."},
            {"text": "Ấn Độ", "correct": False, "feedback": "Ấn Độ không thuộc ASEAN."},
        ],
        "general_feedback": "ASEAN có 10 thành viên (11 với Đông Timor).",
    },
    "true_false": {
        "answer": True,
        "feedback_true": "Đúng vậy, năm 1995.",
        "feedback_false": "Sai: Việt Nam gia nhập ASEAN năm 1995.",
        "general_feedback": "Ngày 28/7/1995.",
    },
    "short_answer": {
        "answers": [
            {"text": "Hà Nội", "fraction": 1, "feedback": "Thủ đô là Hà Nội."},
            {"text": "Thăng Long", "fraction": 0.5, "feedback": "Tên cũ của Hà Nội."},
        ],
        "ignore_accents": True,
        "general_feedback": "Hà Nội là thủ đô từ 1945.",
    },
    "numerical": {
        "answers": [
            {"value": 1995, "tolerance": 0, "fraction": 1, "feedback": "Năm 1995 là chính xác."},
            {"value": 1996, "tolerance": 0.5, "fraction": 0.25, "feedback": "Lệch một năm."},
        ],
        "general_feedback": "Việt Nam gia nhập ASEAN ngày 28/7/1995.",
    },
    "matching": {
        "pairs": [
            {"left": "Hà Nội", "right": "Việt Nam"},
            {"left": "Viêng Chăn", "right": "Lào"},
            {"left": "Phnôm Pênh", "right": "Campuchia"},
        ],
        "distractors": ["Thái Lan"],
        "general_feedback": "Thủ đô các nước Đông Dương.",
    },
    "ordering": {
        "items": ["Tiếp nhận thông tin", "Xác minh nguồn", "Soạn thông cáo", "Phát hành"],
        "general_feedback": "Quy trình xử lý thông tin đối ngoại.",
    },
    "essay": {
        "min_words": 100,
        "max_words": 500,
        "template": "Mở bài: …",
        "grader_info": "Chấm theo ba tiêu chí: nội dung, lập luận, trình bày.",
        "general_feedback": "Bài luận tốt nêu được vai trò của báo chí.",
    },
}

SECRETS = {
    "single_choice": ["Chính xác: Bộ Ngoại giao chủ trì.", "Gần đúng, phối hợp.", "Nghị định 72", "fraction"],
    "multiple_choice": ["Lào là thành viên ASEAN.", "Nhật Bản là đối tác", "ASEAN có 10", "fraction",
                        "correct"],
    "true_false": ["Đúng vậy, năm 1995.", "Sai: Việt Nam", "Ngày 28/7/1995", "answer", "feedback"],
    "short_answer": ["Hà Nội", "Thăng Long", "Thủ đô là Hà Nội.", "fraction", "answers"],
    "numerical": ["1995", "1996", "Lệch một năm", "fraction", "tolerance"],
    "matching": ["right_id", "Thủ đô các nước", "pairs"],
    "ordering": ["Quy trình xử lý", "grading"],
    "essay": ["Chấm theo ba tiêu chí", "grader_info", "Bài luận tốt"],
}
