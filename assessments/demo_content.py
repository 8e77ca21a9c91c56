# ruff: noqa: E501 - Vietnamese question text reads better unbroken
"""Questions of the demo course, in Vietnamese. Facts come only from the lessons' text
(courses/demo_content.py); wrong options are plain distractors, not claims."""

from __future__ import annotations

KL57 = "Kết luận số 57-KL/TW"

# Per module (same order as courses.demo_content.MODULES): a short check, no pass mark.
MODULE_QUIZZES: list[list[dict]] = [
    [
        {
            "type": "single_choice",
            "text": f"Bộ Chính trị ban hành {KL57} vào ngày nào?",
            "data": {
                "choices": [
                    {"text": "15/6/2023", "fraction": 1, "feedback": "Đúng: ngày 15/6/2023."},
                    {"text": "11/8/2023", "feedback": "Đây là ngày ban hành Hướng dẫn số 111-HD/BTGTW."},
                    {"text": "15/6/2022", "feedback": "Chưa đúng năm."},
                ],
                "general_feedback": f"{KL57} ngày 15/6/2023 của Bộ Chính trị; Hướng dẫn số 111-HD/BTGTW "
                "ngày 11/8/2023 của Ban Tuyên giáo Trung ương.",
            },
        },
        {
            "type": "single_choice",
            "text": "Cơ quan nào ban hành Hướng dẫn số 111-HD/BTGTW?",
            "data": {
                "choices": [
                    {"text": "Ban Tuyên giáo Trung ương", "fraction": 1},
                    {"text": "Bộ Chính trị", "feedback": f"Bộ Chính trị ban hành {KL57}."},
                    {"text": "Bộ Ngoại giao"},
                ]
            },
        },
        {
            "type": "multiple_choice",
            "text": "Công tác thông tin đối ngoại cần được đổi mới, hoàn thiện trên những phương diện nào?",
            "data": {
                "choices": [
                    {"text": "Nguồn nhân lực", "correct": True},
                    {"text": "Tổ chức bộ máy", "correct": True},
                    {"text": "Nội dung và phương thức hoạt động", "correct": True},
                    {"text": "Chỉ riêng số lượng ấn phẩm", "correct": False},
                ],
                "general_feedback": "Đổi mới trên tất cả phương diện: nguồn nhân lực, tổ chức bộ máy, nội dung "
                "và phương thức hoạt động.",
            },
        },
        {
            "type": "true_false",
            "text": "Ban Chỉ đạo công tác thông tin đối ngoại được rà soát, kiện toàn từ Trung ương đến cơ sở.",
            "data": {
                "answer": True,
                "feedback_false": "Hội nghị yêu cầu rà soát, kiện toàn từ Trung ương đến cơ sở.",
            },
        },
    ],
    [
        {
            "type": "multiple_choice",
            "text": "Theo góp ý của Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng, cần tranh thủ những ai làm thông "
            "tin đối ngoại?",
            "data": {
                "choices": [
                    {"text": "Phóng viên", "correct": True},
                    {"text": "Chuyên gia, học giả quốc tế", "correct": True},
                    {"text": "Kiều bào", "correct": True},
                    {"text": "Chỉ cán bộ chuyên trách trong nước", "correct": False},
                ]
            },
        },
        {
            "type": "true_false",
            "text": "Kiều bào vừa là đối tượng tiếp nhận thông tin, vừa là lực lượng lan tỏa thông tin về đất nước.",
            "data": {"answer": True},
        },
        {
            "type": "single_choice",
            "text": "Tranh thủ phóng viên, chuyên gia nước ngoài nhằm xây dựng lực lượng báo chí ở nước ngoài như thế nào?",
            "data": {
                "choices": [
                    {"text": "Thân thiện với Việt Nam", "fraction": 1},
                    {"text": "Chỉ đưa tin theo thông cáo"},
                    {"text": "Trực thuộc cơ quan trong nước"},
                ]
            },
        },
    ],
    [
        {
            "type": "short_answer",
            "text": "Sản phẩm quảng bá đất nước cần có tính đa ngôn ngữ và ______ (điền một từ).",
            "data": {
                "answers": [{"text": "hiện đại", "fraction": 1}],
                "ignore_accents": True,
                "general_feedback": "Sản phẩm đa ngôn ngữ, hiện đại.",
            },
        },
        {
            "type": "multiple_choice",
            "text": "Khi tuyên truyền, cần chú trọng những hệ giá trị nào?",
            "data": {
                "choices": [
                    {"text": "Hệ giá trị quốc gia", "correct": True},
                    {"text": "Văn hóa", "correct": True},
                    {"text": "Gia đình", "correct": True},
                    {"text": "Con người", "correct": True},
                    {"text": "Giá cả hàng hóa", "correct": False},
                ]
            },
        },
        {
            "type": "true_false",
            "text": "Một sản phẩm quảng bá tốt chỉ cần là bản dịch của tài liệu viết cho người trong nước.",
            "data": {
                "answer": False,
                "feedback_true": "Sản phẩm cần được xây dựng cho người nước ngoài đọc, xem và hiểu.",
            },
        },
    ],
    [
        {
            "type": "single_choice",
            "text": "Hội nghị khẳng định lực lượng nào là tuyến đầu, hữu hiệu nhất truyền tải thông tin từ Việt Nam "
            "ra thế giới?",
            "data": {
                "choices": [
                    {"text": "Các cơ quan đại diện Việt Nam ở nước ngoài", "fraction": 1},
                    {"text": "Các doanh nghiệp xuất khẩu"},
                    {"text": "Các trường đại học"},
                ]
            },
        },
        {
            "type": "multiple_choice",
            "text": "Nguồn lực phục vụ thông tin đối ngoại được huy động trên những phương diện nào?",
            "data": {
                "choices": [
                    {"text": "Nhân lực", "correct": True},
                    {"text": "Vật lực", "correct": True},
                    {"text": "Tài lực", "correct": True},
                    {"text": "Thời gian", "correct": False},
                ]
            },
        },
        {
            "type": "true_false",
            "text": "Nguồn lực cho thông tin đối ngoại chỉ được huy động ở trong nước.",
            "data": {"answer": False, "feedback_true": "Huy động cả trong nước cũng như nước ngoài."},
        },
    ],
    [
        {
            "type": "multiple_choice",
            "text": "Những công nghệ nào được nêu để đa dạng hóa phương thức tiếp cận văn hóa, con người Việt Nam?",
            "data": {
                "choices": [
                    {"text": "Thực tế ảo", "correct": True},
                    {"text": "Trí tuệ nhân tạo", "correct": True},
                    {"text": "Chatbot, trợ lý ảo", "correct": True},
                    {"text": "Điện tín", "correct": False},
                ]
            },
        },
        {
            "type": "numerical",
            "text": "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng đề ra mục tiêu phát triển đất nước tới năm "
            "nào (tầm nhìn 2045)?",
            "data": {"answers": [{"value": 2030, "tolerance": 0, "fraction": 1}]},
        },
        {
            "type": "true_false",
            "text": "Theo Thứ trưởng Nguyễn Thanh Lâm, trong thời đại công nghệ số Việt Nam có những cơ hội, công cụ "
            "chưa từng có để làm tốt công tác thông tin đối ngoại.",
            "data": {"answer": True},
        },
    ],
]

# Optional written exercise (module 3): shows trainers the manual grading queue.
ESSAY = {
    "type": "essay",
    "title": "Bài tập tự luận",
    "text": "Chọn một giá trị văn hóa hoặc gia đình Việt Nam và phác thảo cách giới thiệu nó bằng hai "
    "ngôn ngữ cho hai nhóm công chúng khác nhau.",
    "data": {
        "min_words": 50,
        "max_words": 400,
        "grader_info": "Chấm: rõ người tiếp nhận, ngôn ngữ, câu chuyện phù hợp (mỗi ý 1/3 điểm).",
        "general_feedback": "Hãy tự hỏi: ai là người tiếp nhận, họ nói ngôn ngữ nào, họ đã biết gì về "
        "Việt Nam.",
    },
}

FINAL_TITLE = "Kiểm tra cuối khóa"
FINAL_QUIZ: list[dict] = [
    {
        "type": "matching",
        "text": "Ghép mỗi đại biểu phát biểu tại hội nghị với chức vụ của họ.",
        "data": {
            "pairs": [
                {"left": "Nguyễn Trọng Nghĩa", "right": "Trưởng Ban Tuyên giáo Trung ương"},
                {"left": "Lê Thị Thu Hằng", "right": "Thứ trưởng Bộ Ngoại giao"},
                {"left": "Nguyễn Thanh Lâm", "right": "Thứ trưởng Bộ Thông tin và Truyền thông"},
            ]
        },
    },
    {
        "type": "ordering",
        "text": "Sắp xếp các sự kiện theo trình tự thời gian.",
        "data": {
            "items": [
                f"Bộ Chính trị ban hành {KL57}",
                "Ban Tuyên giáo Trung ương ban hành Hướng dẫn số 111-HD/BTGTW",
                f"Hội nghị toàn quốc nghiên cứu, triển khai {KL57}",
            ],
            "grading": "all_or_nothing",
        },
    },
    {
        "type": "numerical",
        "text": f"{KL57} được ban hành vào năm nào?",
        "data": {"answers": [{"value": 2023, "tolerance": 0, "fraction": 1}]},
    },
    {
        "type": "short_answer",
        "text": "Các cơ quan ______ Việt Nam ở nước ngoài là lực lượng tuyến đầu truyền tải thông tin ra thế giới "
        "(điền hai từ).",
        "data": {"answers": [{"text": "đại diện", "fraction": 1}], "ignore_accents": True},
    },
    {
        "type": "true_false",
        "text": f"{KL57} do Ban Tuyên giáo Trung ương ban hành.",
        "data": {
            "answer": False,
            "feedback_true": f"{KL57} do Bộ Chính trị ban hành; Ban Tuyên giáo Trung ương "
            "ban hành Hướng dẫn số 111-HD/BTGTW.",
        },
    },
    {
        "type": "single_choice",
        "text": "Trưởng Ban Chỉ đạo công tác thông tin đối ngoại tại hội nghị là ai?",
        "data": {
            "choices": [
                {"text": "Nguyễn Trọng Nghĩa", "fraction": 1},
                {"text": "Lê Thị Thu Hằng"},
                {"text": "Nguyễn Thanh Lâm"},
            ]
        },
    },
    {
        "type": "multiple_choice",
        "text": "Những đối tượng nào được nêu là công chúng của sản phẩm báo chí, truyền thông về Việt Nam?",
        "data": {
            "choices": [
                {"text": "Người nước ngoài", "correct": True},
                {"text": "Kiều bào Việt Nam sinh sống tại nước ngoài", "correct": True},
                {"text": "Chỉ cán bộ trong nước", "correct": False},
            ]
        },
    },
    {
        "type": "true_false",
        "text": "Các cơ quan cần coi công nghệ, chuyển đổi số là cơ hội đối với thông tin đối ngoại.",
        "data": {"answer": True},
    },
]
