"""Text of the demo course. Facts come only from the seed source (news of 12/10/2023 on the
national conference on Conclusion 57-KL/TW); the rest is framing for learners, not new facts."""

TITLE = "Nâng cao hiệu quả công tác thông tin đối ngoại trong tình hình mới"
SUMMARY = (
    "Khóa học ngắn giới thiệu Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị và Hướng dẫn "
    "số 111-HD/BTGTW ngày 11/8/2023 của Ban Tuyên giáo Trung ương, cùng những yêu cầu cụ thể đối "
    "với cán bộ làm công tác thông tin đối ngoại: làm việc với báo chí nước ngoài, quảng bá hình "
    "ảnh đất nước đa ngôn ngữ, vai trò của các cơ quan đại diện ở nước ngoài và ứng dụng chuyển đổi số."
)

# (module title, [(lesson title, HTML body), ...])
MODULES = [
    ("Chuyên đề 1. Vai trò của công tác thông tin đối ngoại và Kết luận số 57-KL/TW", [
        ("Kết luận số 57-KL/TW và Hướng dẫn số 111-HD/BTGTW", """
<p>Ngày 15/6/2023, Bộ Chính trị ban hành <strong>Kết luận số 57-KL/TW</strong> về tiếp tục nâng cao
chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới. Để triển khai Kết luận,
ngày 11/8/2023 Ban Tuyên giáo Trung ương ban hành <strong>Hướng dẫn số 111-HD/BTGTW</strong>.</p>
<p>Ban Chỉ đạo công tác thông tin đối ngoại đã tổ chức Hội nghị toàn quốc tại Hà Nội để nghiên cứu,
triển khai nội dung Kết luận số 57-KL/TW. Tại hội nghị, Trưởng Ban Tuyên giáo Trung ương Nguyễn Trọng
Nghĩa, Trưởng Ban Chỉ đạo, đánh giá công tác thông tin đối ngoại thời gian qua có nhiều đổi mới về tư
duy, cách nghĩ, cách làm, nhờ đó đã đạt nhiều kết quả quan trọng.</p>
<p>Kết luận tại hội nghị, các cơ quan được yêu cầu bám sát nội dung Hướng dẫn số 111-HD/BTGTW và các
nội dung chỉ đạo, định hướng, thông tin chuyên đề tại hội nghị; xây dựng các chương trình hành động,
kế hoạch triển khai Kết luận số 57-KL/TW một cách hiệu quả, bám sát tình hình thực tiễn, đặc điểm
của từng cơ quan, đơn vị.</p>
<p><em>Câu hỏi tự kiểm tra:</em> cơ quan, đơn vị của anh/chị đã có chương trình hành động, kế hoạch
triển khai Kết luận số 57-KL/TW chưa? Kế hoạch đó bám sát đặc điểm nào của đơn vị?</p>
"""),
        ("Vì sao công tác thông tin đối ngoại phải không ngừng đổi mới", """
<p>Trong bối cảnh thế giới có nhiều chuyển biến, cơ hội và thách thức đan xen, công tác thông tin
đối ngoại cần không ngừng được đổi mới, hoàn thiện trên tất cả phương diện: <strong>nguồn nhân lực,
tổ chức bộ máy, nội dung và phương thức hoạt động</strong>.</p>
<p>Các cơ quan được đề nghị nâng cao nhận thức của cán bộ, đảng viên về tầm quan trọng của thông tin
đối ngoại; triển khai sáng tạo, hiệu quả và bám sát thực tiễn từng cơ quan. Các đơn vị làm thông tin
đối ngoại phải chủ động biến thách thức thành thời cơ, tận dụng bối cảnh trong nước cũng như quốc tế
để đổi mới tư duy, phương thức thực hiện.</p>
<p>Nhận thức không chỉ dừng ở cán bộ chuyên trách: hội nghị yêu cầu nâng cao nhận thức cho cán bộ,
đảng viên và nhân dân về tầm quan trọng của công tác thông tin đối ngoại, về đường lối, chính sách đối
ngoại của Việt Nam.</p>
<p>Đổi mới còn gắn với bộ máy: rà soát, kiện toàn và nâng cao hiệu quả lãnh đạo, chỉ đạo của Ban Chỉ đạo
công tác thông tin đối ngoại <strong>từ Trung ương đến cơ sở</strong>, đồng thời tiếp tục chú trọng xây
dựng, bồi dưỡng đội ngũ cán bộ làm công tác thông tin đối ngoại, chính là mục đích của khóa học này.</p>
"""),
    ]),
    ("Chuyên đề 2. Làm việc với báo chí và chuyên gia nước ngoài", [
        ("Tranh thủ phóng viên, chuyên gia, học giả quốc tế và kiều bào", """
<p>Tại hội nghị, Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hằng góp ý: cần tranh thủ <strong>phóng viên,
chuyên gia, học giả quốc tế và kiều bào</strong> làm thông tin đối ngoại. Từ đó xây dựng lực lượng báo
chí ở nước ngoài thân thiện với Việt Nam, hỗ trợ hiệu quả công tác thông tin đối ngoại giữa Việt Nam
với quốc tế.</p>
<p>Với cán bộ làm công tác này, điều đó có nghĩa là coi phóng viên và chuyên gia nước ngoài là đối tác
lâu dài chứ không chỉ là người nhận thông cáo: chủ động cung cấp thông tin chính xác, kịp thời; tạo
điều kiện để họ tìm hiểu thực tiễn Việt Nam; duy trì quan hệ sau mỗi sự kiện.</p>
<p>Kiều bào Việt Nam sinh sống tại nước ngoài vừa là đối tượng tiếp nhận thông tin, vừa là lực lượng
lan tỏa thông tin về đất nước tới cộng đồng nơi họ sinh sống. Hội nghị cũng nhấn mạnh việc phát triển
các sản phẩm báo chí, truyền thông về Việt Nam cho người nước ngoài và kiều bào.</p>
<p><em>Bài tập:</em> lập danh sách các phóng viên, chuyên gia, học giả và tổ chức kiều bào mà đơn vị của
anh/chị đang hoặc có thể phối hợp, kèm cách liên hệ và chủ đề họ quan tâm.</p>
"""),
    ]),
    ("Chuyên đề 3. Quảng bá hình ảnh quốc gia bằng nhiều ngôn ngữ", [
        ("Lịch sử, văn hóa và hệ giá trị quốc gia trong sản phẩm quảng bá", """
<p>Một yêu cầu được nêu rõ tại hội nghị là phải đẩy mạnh tuyên truyền về <strong>lịch sử, truyền thống,
đặc trưng văn hóa Việt Nam</strong>, chú trọng các hệ giá trị quốc gia, văn hóa, gia đình và con người.</p>
<p>Để sản phẩm quảng bá đất nước tăng tính thuyết phục và hấp dẫn, các cơ quan cần ứng dụng mạnh mẽ khoa
học công nghệ, chuyển đổi số để có những sản phẩm <strong>đa ngôn ngữ, hiện đại</strong>. Một sản phẩm
tốt cần được xây dựng cho người nước ngoài đọc, xem và hiểu, không chỉ là bản dịch của tài liệu viết cho
người trong nước.</p>
<p>Khi chuẩn bị một sản phẩm, cán bộ nên tự hỏi: ai là người tiếp nhận, họ nói ngôn ngữ nào, họ đã biết
gì về Việt Nam, và câu chuyện nào về lịch sử, văn hóa, con người Việt Nam sẽ chạm tới họ.</p>
<p><em>Câu hỏi thảo luận:</em> chọn một giá trị văn hóa hoặc gia đình Việt Nam và phác thảo cách giới
thiệu nó bằng hai ngôn ngữ cho hai nhóm công chúng khác nhau.</p>
"""),
    ]),
    ("Chuyên đề 4. Thông tin đối ngoại tại các cơ quan đại diện ở nước ngoài", [
        ("Cơ quan đại diện: lực lượng tuyến đầu", """
<p>Hội nghị khẳng định các <strong>cơ quan đại diện Việt Nam ở nước ngoài</strong> sẽ là lực lượng tuyến
đầu, hữu hiệu nhất truyền tải thông tin từ Việt Nam ra thế giới.</p>
<p>Ở vị trí đó, cán bộ cơ quan đại diện vừa nắm bắt dư luận nước sở tại, vừa trực tiếp làm việc với báo
chí, chuyên gia, học giả và cộng đồng kiều bào, những đối tượng mà hội nghị đề nghị tranh thủ để làm
thông tin đối ngoại.</p>
<p>Các yêu cầu chung của Kết luận số 57-KL/TW cũng áp dụng cho từng cơ quan đại diện: xây dựng chương
trình hành động, kế hoạch triển khai bám sát tình hình thực tiễn và đặc điểm của đơn vị, và chủ động
biến thách thức thành thời cơ trong bối cảnh của nước sở tại.</p>
<p>Huy động nguồn lực cũng là một nhiệm vụ: hội nghị yêu cầu huy động mọi nguồn lực trên cả ba phương
diện <strong>nhân lực, vật lực, tài lực</strong>, ở cả trong nước cũng như nước ngoài, để phục vụ hiệu
quả nhiệm vụ thông tin đối ngoại.</p>
"""),
    ]),
    ("Chuyên đề 5. Kênh số, mạng xã hội và chương trình hành động", [
        ("Chuyển đổi số: trực tuyến, thực tế ảo, trí tuệ nhân tạo", """
<p>Thứ trưởng Bộ Thông tin và Truyền thông Nguyễn Thanh Lâm cho rằng trong thời đại công nghệ số, Việt
Nam có những cơ hội, công cụ chưa từng có để làm tốt công tác thông tin đối ngoại.</p>
<p>Các cơ quan cần coi công nghệ, chuyển đổi số là cơ hội đối với thông tin đối ngoại. Một số hình thức
truyền thông cần chuyển sang <strong>trực tuyến</strong>, ứng dụng <strong>thực tế ảo, trí tuệ nhân tạo,
chatbot, trợ lý ảo</strong> để đa dạng hóa phương thức tiếp cận văn hóa, con người Việt Nam.</p>
<p>Cũng theo ý kiến tại hội nghị, các cơ quan cần tập trung đẩy mạnh phát triển các sản phẩm báo chí,
truyền thông về Việt Nam cho người nước ngoài và kiều bào Việt Nam sinh sống tại nước ngoài, những
nhóm công chúng mà kênh số có thể tiếp cận trực tiếp.</p>
<p><em>Bài tập:</em> chọn một sản phẩm thông tin đối ngoại hiện có của đơn vị và đề xuất một cách chuyển
nó lên kênh trực tuyến hoặc làm phong phú nó bằng một công cụ số.</p>
"""),
        ("Tổng kết: từ Kết luận đến chương trình hành động", """
<p>Khóa học đã điểm lại các yêu cầu chính được nêu khi triển khai Kết luận số 57-KL/TW: nâng cao nhận
thức; đổi mới nguồn nhân lực, tổ chức bộ máy, nội dung và phương thức; quảng bá lịch sử, văn hóa và hệ
giá trị Việt Nam bằng sản phẩm đa ngôn ngữ, hiện đại; tranh thủ báo chí, chuyên gia, học giả quốc tế và
kiều bào; phát huy vai trò tuyến đầu của cơ quan đại diện; ứng dụng công nghệ và chuyển đổi số.</p>
<p>Về tổ chức thực hiện, mỗi cơ quan, đơn vị xây dựng chương trình hành động, kế hoạch triển khai của
mình; Ban Chỉ đạo công tác thông tin đối ngoại được rà soát, kiện toàn từ Trung ương đến cơ sở; đội ngũ
cán bộ tiếp tục được xây dựng, bồi dưỡng; nguồn lực được huy động cả trong nước và ở nước ngoài.</p>
<p>Tất cả nhằm góp phần thực hiện thắng lợi mục tiêu phát triển đất nước mà Đại hội đại biểu toàn quốc
lần thứ XIII của Đảng đã đề ra <strong>tới năm 2030, tầm nhìn 2045</strong>.</p>
<p>Hoàn thành bài học này và các bài bắt buộc khác để nhận giấy chứng nhận hoàn thành khóa học.</p>
"""),
    ]),
]
