"""The printed text of Attachment 1 (申报表), as the notice gives it.

Option lists keep the template's line layout: each inner list is one line of the cell.
"""

from __future__ import annotations

ATTACHMENT_LABEL = "附件1"
TITLE = "2025年衡阳市“卓越工程师”候选人申报表"

DOMAINS = ["装备制造领域", "信息电子领域", "建筑、能源与化工领域", "农医与环境领域"]
FIELD_LINES = [[d] for d in DOMAINS]
SUBFIELD_LINES = {
    "装备制造领域": [["机械与运载工程", "其他"]],
    "信息电子领域": [["信息与电子工程", "其他"]],
    "建筑、能源与化工领域": [["化工、冶金与材料工程", "能源与矿业工程"],
                          ["土木、水利与建筑工程", "其他"]],
    "农医与环境领域": [["农业工程", "环境与轻纺工程"], ["卫生医药工程", "其他"]],
}
OTHER = "其他"
YES_NO_LINES = [["是", "否"]]
SECRET_LINES = [["机密", "秘密", "无"]]
NATURE_LINES = [["党政机关", "高等院校", "科研院所", "事业单位"],
                ["国有企业", "民营企业", "外资企业", "其他"]]
NATURES = [n for line in NATURE_LINES for n in line if n != OTHER]
BLANK_DATE = "    年  月  日"


def listed_subfields(domain: str) -> list[str]:
    return [s for line in SUBFIELD_LINES[domain] for s in line if s != OTHER]


COVER_LABELS = {
    "recommender": "推荐单位：",
    "candidate_name": "人选姓名：",
    "employer": "所在单位：",
    "engineering_field": "工程领域：",
    "classified": "国防军工\n涉密领域：",
    "secret_level": "密级：",
    "filled_date": "填报日期：",
}

INSTRUCTIONS_TITLE = "填 报 说 明"
INSTRUCTIONS = [
    "1.推荐对象汇总表按照推荐对象的优先顺序填写。",
    "2.推荐单位填写各县市区科协、市级学会（协会、联合会）、高校科协、园区科协。",
    "3.工作单位、职务职级、专业技术职务、学科领域等均请填写规范全称。出生日期填写年月日（如：1980年1月1日）。",
    "4.照片采用近期2寸正面免冠白底彩色证件照。纸质版材料可粘贴照片，也可彩色打印。电子版材料将照片插入推荐表指定区域，"
    "同时单独提供jpg格式图片文件，分辨率为1024像素（高）×768像素（宽），以“姓名+出生日期”作为文件名（如：张三+19800101.jpg）。",
    "5.主要学习经历从大、中专院校学习时填起，时间精确到月，不得断档。",
    "6.主要工作经历从参加工作时填起，时间精确到月，6项以内，如超出，请将相似经历合并填写，不得断档。",
    "7.在工程技术方面的主要成就和贡献应准确、客观地填写，重点阐述重大工程技术标志性成果的质量、贡献、影响，限1500字以内。"
    "明确区分个人、团队和单位在科技成果产出中的贡献。",
    "8.代表性工程技术成果按照重大工程建设、重大装备制造、“卡脖子”关键核心技术攻关和重大发明创造4种成果类型选择填报。"
    "其中个人代表性工程技术成果不超过3项。",
    "9.重要奖项情况填写获得的省部级及以上奖励，无相关情况请填写“无相关奖励”，不得留空白。",
    "10.纸质版材料请用A4纸，申报表及附件材料双面打印，汇总表单面打印；电子版材料请用word格式，不得用pdf格式。",
]

HEADINGS = {
    1: "一、基本信息",
    2: "二、主要学习经历（从大学填起，6项以内）",
    3: "三、主要工作经历（6项以内）",
    4: "四、在工程技术方面的主要成就和贡献",
    5: "五、代表性工程技术成果",
    6: "六、重要组织任职情况（5项以内）",
    7: "七、重要知识产权及标准情况（专利、标准、软件著作权等，5项以内）",
    8: "八、重要奖项情况（5项以内）",
    9: "九、个人承诺",
    10: "十、所在单位意见",
    11: "十一、推荐单位意见",
}

CANDIDATE_LABEL = "候\n选\n人"
DOMAIN_LABEL = "领\n域"
PHOTO_LABEL = "照片"
CLASSIFIED_LABEL = "国防军工涉密"

# Section 一, the two label/value pairs of each row under 候选人 (None: the row has one pair).
BASIC_ROWS = [
    ("姓名", "name", "性别", "gender"),
    ("出生日期", "birth_date", "民族", "ethnicity"),
    ("国籍", "nationality", "政治面貌", "political_status"),
    ("最高学历", "education", "最高学位", "degree"),
    ("行政级别", "admin_level", "专业技术职务", "title"),
    ("所属一级学科", "discipline_1", "所属二级学科", "discipline_2"),
    ("证件类型", "id_type", "证件号码", "id_number"),
    ("工作单位及\n职务", "employer_and_position", "工作单位行政区划", "employer_region"),
]
PHOTO_ROWS = 5  # the photo cell spans the first five rows
NATURE_LABEL = "工作单位性质"
CONTACT_ROW = [("办公电话", "office_phone"), ("手机", "mobile"), ("电子邮箱", "email")]
ADDRESS_ROW = ("通信地址", "address", "邮编", "postcode")

STUDY_HEADER = ["起止年月", "校（院）及系名称", "专业", "学位"]
WORK_HEADER = ["起止年月", "工作单位", "职务/职称"]
ORG_HEADER = ["起止年月", "组织名称", "所担任职务"]
RESULT_HEADER = ["序\n号", "类别", "名称", "岗位角色", "成果的质量、贡献、影响", "本人主要贡献\n（限100字）", "备注"]
IP_HEADER = ["序号", "名称\n（编号）", "批准年份", "排名", "实施情况\n（限50字）", "本人主要贡献\n（限100字）"]
AWARD_HEADER = ["序号", "获奖时间", "奖项名称", "奖励等级（排名）", "本人主要贡献\n（限100字）"]
HISTORY_ROWS = 6
LIST_ROWS = 5

ACHIEVEMENT_INSTRUCTION = (
    "应准确、客观地填写在工程技术领域的业绩和主要贡献，重点阐述重大工程技术标志性成果的质量、贡献、影响，"
    "限1500字以内。请明确区分个人、团队和单位在科技成果产出中的贡献。"
)

# Section 五: the template's four printed rows (序号, 类别 as printed over two lines) and the
# "........" row below them.
RESULT_TEMPLATE_ROWS = [
    ("1", "重大工程\n建设"),
    ("2", "重大装备\n制造"),
    ("3", "“卡脖子”关键核心技术攻关"),
    ("4", "重大发明\n创造"),
]
RESULT_ELLIPSIS = "........"
RESULT_NOTE = "注：个人代表性工程技术成果不超过3项，按照4种成果类型选择填报。"
NONE_AWARDS = "无相关奖励"

PLEDGE = "本人接受推荐，并承诺对推荐材料中所有信息真实性负完全责任，若有失实和造假行为，本人愿承担一切后果。"
PLEDGE_SIGN = ["本人签名：               ", "                              年  月  日  "]
EMPLOYER_OPINION = (
    "（推荐对象所在单位须切实做好审核把关工作，对推荐对象政治表现、廉洁自律、科研诚信、学风作风、道德品行等方面严格把关，"
    "并对推荐对象推荐材料及附件材料的真实性、准确性及涉密情况进行审核，相关材料须经所在单位主要负责同志和具体经办人签字确定，"
    "并加盖公章。若因审核把关不严，导致不合格人选获评后被撤销荣誉，造成严重后果的，将对有关审核把关人员严肃追责。）"
)
EMPLOYER_SIGN = ["具体经办人签字：                单位主要负责人签字：", "单位盖章",
                 " 年 月 日                         年  月  日"]
RECOMMENDER_SIGN = ["", "（盖章）", "年  月  日"]
