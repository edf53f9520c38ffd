"""A third generated campaign (issue 20), independent of the demo's and the field campaign's:
its own people, units, mail clients and shapes, with what each register row must say.

Nine units, sixteen candidates. Every class of issue 20 is sent by at least two units
through different clients (163 webmail, QQ Mail, Foxmail, Outlook, iPhone Mail, WPS Mail
for Android, a plain folder in the drop folder), each client writing its own MIME:
RFC 2047 B or Q words in UTF-8, GBK or GB18030, RFC 2231 names, raw 8-bit UTF-8 names,
base64 or quoted-printable bodies, its own boundary style.

- cloud attachments: a 163 超大附件 block (HTML and plain), a QQ 中转站 block (plain);
- iPhone HEIC photos named for the candidate (PHOTO_SPEC, not UNREADABLE_FILE);
- scanner-app PDFs (扫描全能王, CamScanner) holding four copies, a watermark at each foot;
- forwarded mail: inline (转发邮件信息, files attached again) and as an attached message
  with the form attached a second time beside it;
- the same mail twice, minutes apart, with a new Message-ID;
- last year's form and the provincial form (FORM_OUTDATED), other offices' forms and a
  personnel list (a unit's folder of unrelated files; a personnel list beside a real table);
- dates as people write them (1980.1.5, 83年6月, 一九八二年三月九日, 1979年元月8日,
  19790926; periods 1998.9-2002.7, 2000年9月至2004年7月, 01.9-05.7, 2018.3-今);
- names outside GBK (𠮷, 𨚕: in headers, GB18030 zip entries, forms) and with ·;
- Hong Kong and Macau candidates (港澳居民来往内地通行证 H12345678, 港澳居民居住证 810000…);
- summary tables as PDF (text layer) and as a phone photo of the printed table, one of
  each clean and one of each with a row that disagrees with the form;
- values in label cells (姓名：…), text boxes, content controls, tables split over pages;
- a printed form photographed at an angle as a candidate's only form (two units).

Every expected value is a literal of the tables below (``PEOPLE``, ``EXPECTED``): section
一 as the register must show it, the checklist items not ticked, the exact finding codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import quopri
import random
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from tests.paths import SHARED

from .demo import bio_docx
from .forms import STYLES, registration_form
from .forwarded_mail import attached_qq, inline_163
from .people import Person, ip, org, result, study, work
from .photo import photo_heic, photo_jpeg
from .scanner_app import scanner_app_pdf
from .scans import certificate, image_pdf, jpeg
from .seals import draw_seal
from .short_years import with_rewritten_text
from .summary import (
    OFFICIAL_HEADERS,
    TITLE,
    SummarySpec,
    build_docx,
    build_xlsx,
    docx_to_pdf,
    personnel_list_spec,
)
from .tricky_mail import (
    CRLF,
    LegacyNameInfo,
    b_word,
    base64_body,
    multipart,
    part,
    q_word,
    zip_bytes,
)
from .writer import FormWriter

CAMPAIGN_AS_OF = dt.date(2025, 4, 15)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REALWORLD_OFFICE = SHARED / "realworld" / "office"

# The checklist keys of register.json, in its order.
CHECKLIST = ("photo", "bio", "id_copy", "diploma_copy", "degree_copy", "title_cert", "award_certs",
             "achievement_proof", "benefit_proof", "ip_proof", "paper_award_proof", "public_notice")

# --- units --------------------------------------------------------------------------------

CHEM, LEIYANG, CIVIL, HENGDONG, NORMAL, CHANGNING, POWER, AGRI, ENV = (
    "衡阳市化工学会", "耒阳市科协", "衡阳市土木建筑学会", "衡东县科协", "衡阳师范学院科协",
    "常宁市科协", "衡阳市电力学会", "衡阳市农学会", "衡阳市环境科学学会")


# --- people: section 一 exactly as the register must show it ------------------------------

def _fields(name: str, gender: str, birth: str, ethnicity: str, political: str, education: str,
            degree: str, title: str, disciplines: tuple[str, str], id_type: str, id_number: str,
            employer_position: str, region: str, nature: str, mobile: str, email: str,
            address: str, postcode: str, domain: str, subdomain: str,
            office_phone: str | None = None) -> dict[str, object]:
    return {"name": name, "gender": gender, "birth_date": birth, "ethnicity": ethnicity,
            "nationality": "中国", "political_status": political, "education": education,
            "degree": degree, "admin_level": "无", "title": title, "discipline_1": disciplines[0],
            "discipline_2": disciplines[1], "id_type": id_type, "id_number": id_number,
            "employer_and_position": employer_position, "employer_region": region,
            "employer_nature": nature, "office_phone": office_phone, "mobile": mobile,
            "email": email, "address": address, "postcode": postcode, "domain": domain,
            "subdomain": subdomain, "classified": False, "secret_level": "无"}


EQUIP, INFO, BUILD, AGRO = "装备制造领域", "信息电子领域", "建筑、能源与化工领域", "农医与环境领域"
RESIDENT = "居民身份证"

# key -> (unit, section 一, employer, graduation year, start of the current post)
PEOPLE: dict[str, tuple[str, dict[str, object], str, int, str]] = {
    "gong": (CHEM, _fields(
        "龚立诚", "男", "1980-01-05", "汉族", "中共党员", "大学本科", "学士", "正高级工程师",
        ("化学工程与技术", "化学工艺"), RESIDENT, "430405198001050510",
        "湖南衡阳建滔化工有限公司总工程师", "湖南省衡阳市石鼓区", "民营企业", "13873415206",
        "gonglc@hyjt-chem.cn", "湖南省衡阳市石鼓区松木工业园8号", "421005", BUILD,
        "化工、冶金与材料工程", "0734-8521130"), "湖南衡阳建滔化工有限公司", 2002, "2018-03"),
    "lu": (CHEM, _fields(
        "卢晓雯", "女", "1989-07-21", "汉族", "群众", "研究生", "硕士", "高级工程师",
        ("材料科学与工程", "材料学"), RESIDENT, "430406198907213028",
        "衡阳华友新材料有限公司研发中心副主任", "湖南省衡阳市雁峰区", "民营企业", "15073426618",
        "luxw@hyhuayou.cn", "湖南省衡阳市雁峰区白沙洲工业园3号", "421007", BUILD,
        "化工、冶金与材料工程"), "衡阳华友新材料有限公司", 2014, "2020-05"),
    "ji": (LEIYANG, _fields(
        "𠮷志远", "男", "1987-02-14", "汉族", "中共党员", "大学本科", "学士", "高级工程师",
        ("电气工程", "电力系统及其自动化"), RESIDENT, "430481198702146159",
        "国网耒阳市供电公司运维检修部主任", "湖南省耒阳市", "国有企业", "13975417729",
        "jizy@ly-power.cn", "湖南省耒阳市五一东路88号", "421800", EQUIP,
        "机械与运载工程"), "国网耒阳市供电公司", 2009, "2019-07"),
    "tan": (LEIYANG, _fields(
        "谭慧敏", "女", "1981-10-30", "汉族", "中共党员", "研究生", "硕士", "高级工程师",
        ("农业工程", "农业机械化工程"), RESIDENT, "430481198110302146",
        "耒阳市农业机械化技术推广站站长", "湖南省耒阳市", "事业单位", "13517346625",
        "tanhm@lynj.cn", "湖南省耒阳市蔡伦大道16号", "421800", AGRO,
        "农业工程"), "耒阳市农业机械化技术推广站", 2007, "2017-01"),
    "chan": (CIVIL, _fields(
        "陈家乐", "男", "1988-05-20", "汉族", "群众", "研究生", "硕士", "高级工程师",
        ("土木工程", "结构工程"), "港澳居民来往内地通行证", "H12345678",
        "中建五局衡阳分公司技术总工", "湖南省衡阳市蒸湘区", "国有企业", "13607342281",
        "chanjl@cscec5b.cn", "湖南省衡阳市蒸湘区解放西路22号", "421001", BUILD,
        "土木、水利与建筑工程"), "中建五局衡阳分公司", 2013, "2019-09"),
    "liu": (CIVIL, _fields(
        "刘春燕", "女", "1982-03-09", "汉族", "中共党员", "大学本科", "学士", "高级工程师",
        ("土木工程", "桥梁与隧道工程"), RESIDENT, "430407198203091022",
        "衡阳市建筑设计院有限公司副总工程师", "湖南省衡阳市石鼓区", "国有企业", "13786426650",
        "liucy@hyjzsj.cn", "湖南省衡阳市石鼓区人民路37号", "421001", BUILD,
        "土木、水利与建筑工程"), "衡阳市建筑设计院有限公司", 2004, "2016-04"),
    "huang": (HENGDONG, _fields(
        "黄子谦", "男", "1990-08-08", "汉族", "群众", "研究生", "硕士", "工程师",
        ("信息与通信工程", "通信与信息系统"), "港澳居民居住证", "810000199008080036",
        "衡东县智慧城市运营有限公司技术总监", "湖南省衡东县", "民营企业", "13467342208",
        "huangzq@hdzhcs.cn", "湖南省衡东县城关镇洣水路12号", "421400", INFO,
        "信息与电子工程"), "衡东县智慧城市运营有限公司", 2015, "2021-03"),
    "zou": (HENGDONG, _fields(
        "邹国平", "男", "1978-11-02", "汉族", "中共党员", "大学本科", "学士", "高级工程师",
        ("机械工程", "机械设计及理论"), RESIDENT, "430424197811020019",
        "湖南衡东特种车辆有限公司副总经理", "湖南省衡东县", "民营企业", "13907347740",
        "zougp@hdtzcl.cn", "湖南省衡东县大浦工业园6号", "421411", EQUIP,
        "机械与运载工程"), "湖南衡东特种车辆有限公司", 2000, "2015-06"),
    "ayi": (NORMAL, _fields(
        "阿依古丽·买买提", "女", "1991-04-12", "维吾尔族", "中共党员", "博士研究生", "博士", "高级工程师",
        ("环境科学与工程", "环境工程"), RESIDENT, "650102199104124025",
        "衡阳师范学院环境工程实验中心主任", "湖南省衡阳市珠晖区", "高等院校", "18907348812",
        "ayiguli@hynu.edu.cn", "湖南省衡阳市珠晖区衡花路16号", "421002", AGRO,
        "环境与轻纺工程"), "衡阳师范学院", 2019, "2019-07"),
    "peng": (NORMAL, _fields(
        "彭振华", "男", "1983-06", "汉族", "九三学社社员", "大学本科", "学士", "高级工程师",
        ("计算机科学与技术", "计算机应用技术"), RESIDENT, "430421198306150512",
        "衡阳师范学院网络信息中心副主任", "湖南省衡阳市珠晖区", "高等院校", "13974718823",
        "pengzh@hynu.edu.cn", "湖南省衡阳市珠晖区衡花路16号", "421002", INFO,
        "信息与电子工程"), "衡阳师范学院", 2005, "2012-03"),
    "sun": (CHANGNING, _fields(
        "孙𨚕", "男", "1986-09-12", "汉族", "中共党员", "大学本科", "学士", "高级工程师",
        ("矿业工程", "采矿工程"), RESIDENT, "430482198609127734",
        "湖南水口山有色金属集团有限公司采矿工程师", "湖南省常宁市", "国有企业", "13762432291",
        "sunhang@skszx.cn", "湖南省常宁市水口山镇康家湾路1号", "421513", BUILD,
        "能源与矿业工程"), "湖南水口山有色金属集团有限公司", 2008, "2018-10"),
    "zeng": (CHANGNING, _fields(
        "曾宪斌", "男", "1979-09-26", "汉族", "中共党员", "大学本科", "学士", "高级工程师",
        ("冶金工程", "有色金属冶金"), RESIDENT, "430482197909260452",
        "常宁市金源冶炼有限公司总工程师", "湖南省常宁市", "民营企业", "13873461145",
        "zengxb@cnjyyl.cn", "湖南省常宁市宜阳工业园9号", "421500", BUILD,
        "化工、冶金与材料工程"), "常宁市金源冶炼有限公司", 2001, "2014-02"),
    "ou": (POWER, _fields(
        "欧志强", "男", "1979-01-08", "汉族", "中共党员", "研究生", "硕士", "正高级工程师",
        ("电气工程", "高电压与绝缘技术"), RESIDENT, "430405197901080534",
        "国网衡阳供电公司副总工程师", "湖南省衡阳市珠晖区", "国有企业", "13807342276",
        "ouzq@hy.hn.sgcc.cn", "湖南省衡阳市珠晖区东风南路18号", "421002", EQUIP,
        "机械与运载工程", "0734-8321456"), "国网衡阳供电公司", 2004, "2016-08"),
    "he": (POWER, _fields(
        "何佩琳", "女", "1992-12-03", "汉族", "共青团员", "研究生", "硕士", "工程师",
        ("电子科学与技术", "电路与系统"), RESIDENT, "430405199212035024",
        "衡阳华电新能源有限公司电气工程师", "湖南省衡阳市珠晖区", "国有企业", "15873435516",
        "hepl@hdxny-hy.cn", "湖南省衡阳市珠晖区茶山坳镇3号", "421002", INFO,
        "信息与电子工程"), "衡阳华电新能源有限公司", 2018, "2018-07"),
    "mo": (AGRI, _fields(
        "莫小川", "男", "1986-06-18", "汉族", "中共党员", "研究生", "硕士", "高级工程师",
        ("农业工程", "农业生物环境与能源工程"), RESIDENT, "430426198606184353",
        "祁东县农业农村局农机推广站站长", "湖南省祁东县", "党政机关", "13873448876",
        "moxc@qdnyj.cn", "湖南省祁东县洪桥街道永昌路5号", "421600", AGRO,
        "农业工程"), "祁东县农业农村局", 2011, "2020-01"),
    "dilnar": (AGRI, _fields(
        "迪丽娜尔·艾山", "女", "1980-02-27", "维吾尔族", "中共党员", "大学本科", "学士", "高级工程师",
        ("作物学", "作物遗传育种"), RESIDENT, "653101198002274446",
        "衡阳市农业科学研究所育种室主任", "湖南省衡阳市蒸湘区", "科研院所", "13975425590",
        "dilnar@hynks.cn", "湖南省衡阳市蒸湘区呆鹰岭镇2号", "421001", AGRO,
        "农业工程"), "衡阳市农业科学研究所", 2002, "2013-05"),
}


def person(key: str) -> Person:
    """The candidate behind ``PEOPLE[key]``: careers, results and patent made from the table,
    dated after 2012, no gap, awards declared as none."""
    unit, f, employer, grad, current = PEOPLE[key]
    s = {k: v for k, v in f.items() if isinstance(v, str)}
    postgraduate = f["education"] in ("研究生", "博士研究生")
    school = {"化学工程与技术": "湘潭大学化工学院", "材料科学与工程": "中南大学材料科学与工程学院",
              "电气工程": "长沙理工大学电气与信息工程学院", "农业工程": "湖南农业大学工学院",
              "土木工程": "湖南大学土木工程学院", "信息与通信工程": "香港理工大学电子及资讯工程学系",
              "机械工程": "湖南工业大学机械工程学院", "环境科学与工程": "南华大学资源环境与安全工程学院",
              "计算机科学与技术": "衡阳师范学院计算机科学系", "矿业工程": "中南大学资源与安全工程学院",
              "冶金工程": "中南大学冶金与环境学院", "电子科学与技术": "湘潭大学物理与光电工程学院",
              "作物学": "新疆农业大学农学院"}[s["discipline_1"]]
    if postgraduate:
        rows = [study(f"{grad - 7}-09", f"{grad - 3}-07", school, s["discipline_1"], "学士"),
                study(f"{grad - 3}-09", f"{grad}-07", school, s["discipline_2"], s["degree"])]
    else:
        rows = [study(f"{grad - 4}-09", f"{grad}-07", school, s["discipline_1"], s["degree"])]
    year, month = (int(x) for x in current.split("-"))
    before = f"{year}-{month - 1:02d}" if month > 1 else f"{year - 1}-12"
    position = s["employer_and_position"].removeprefix(employer)
    jobs = [work(current, None, employer, position)]
    if current != f"{grad}-07":
        jobs.insert(0, work(f"{grad}-07", before, employer, "技术员/工程师"))
    topic = s["subdomain"] if s["subdomain"] != "机械与运载工程" else s["discipline_2"]
    return Person(
        slug=f"third_{key}", recommender=unit, name=s["name"], employer=employer, domain=s["domain"],
        subdomain=s["subdomain"], classified=False, secret_level="无", filled_date="2025-04-08",
        gender=s["gender"], birth_date=s["birth_date"], ethnicity=s["ethnicity"], nationality="中国",
        political_status=s["political_status"], education=s["education"], degree=s["degree"],
        admin_level="无", title=s["title"], discipline_1=s["discipline_1"], discipline_2=s["discipline_2"],
        id_type=s["id_type"], id_number=s["id_number"], employer_and_position=s["employer_and_position"],
        employer_region=s["employer_region"], employer_nature=s["employer_nature"],
        office_phone=s.get("office_phone"), mobile=s["mobile"], email=s["email"], address=s["address"],
        postcode=s["postcode"], study=rows, work=jobs,
        achievements=[f"长期在{employer}从事{topic}技术工作，主持完成多项技术攻关和工程应用。",
                      "提出的关键工艺改进方案在本单位全面推广，近三年累计新增效益三千余万元。"],
        results=[result("1", "重大工程建设", f"{employer}{topic}提质改造工程", "技术负责人",
                        "工程按期建成投运，主要指标达到省内先进水平。", "负责总体技术方案和现场调试。"),
                 result("2", "重大发明创造", f"一种{topic}在线监测装置", "第一完成人",
                        "已在省内五家单位推广应用。", "提出技术方案并主持样机研制。")],
        organizations=[org("2021-06", None, "衡阳市科技工作者协会", "会员")],
        ip=[ip("1", f"一种{topic}在线监测装置（ZL202110{int(s['mobile'][-6:]):06d}.1）", "2021", "1/5",
               "已在本单位生产线应用。", "提出技术方案并主持研制。")],
        awards=[], awards_none_declared=True, photo_seed=900 + sum(map(ord, key)) % 97,
    )


# --- what each candidate's unit sends ---------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """How one candidate's files go out (the unit's own habits and mistakes)."""

    layout: str = "official"
    title: str | None = None  # another year's or selection's title on the form
    rewrites: dict[str, str] = field(default_factory=dict)  # dates as the person typed them
    form_as: str = "docx"  # docx, or angled_photo (each page photographed, the only form)
    photo: str = "jpeg"  # jpeg or heic (an iPhone's, named for the candidate)
    copies: str = "jpeg"  # jpeg, camscanner_cn or camscanner_en (one app PDF of four copies)
    linked: tuple[str, ...] = ()  # items sent only as a cloud link in the body


SENT: dict[str, Sent] = {
    "gong": Sent(rewrites={"1980年1月5日": "1980.1.5", "1998.09-2002.07": "1998.9-2002.7",
                           "2018.03-至今": "2018.3-今"}, linked=("ip_cert", "benefit_proof")),
    "lu": Sent(layout="merged_cells"),
    "ji": Sent(layout="text_boxes", photo="heic"),
    "tan": Sent(),
    "chan": Sent(layout="content_control", copies="camscanner_cn"),
    "liu": Sent(rewrites={"1982年3月9日": "一九八二年三月九日", "2000.09-2004.07": "2000年9月至2004年7月"}),
    "huang": Sent(),
    "zou": Sent(title="2024年衡阳市“卓越工程师”候选人申报表"),
    "ayi": Sent(linked=("diploma_copy", "degree_copy")),
    "peng": Sent(rewrites={"1983年6月": "83年6月", "2001.09-2005.07": "01.9-05.7",
                           "2005.07-2012.02": "05年7月至12年2月"}),
    "sun": Sent(photo="heic"),
    "zeng": Sent(rewrites={"1979年9月26日": "19790926"}),
    "ou": Sent(title="湖南省“卓越工程师”推荐人选申报表", rewrites={"1979年1月8日": "1979年元月8日"},
               copies="camscanner_en", layout="split"),
    "he": Sent(form_as="angled_photo"),
    "mo": Sent(form_as="angled_photo"),
    "dilnar": Sent(),
}

ID_COPY_TITLES = {RESIDENT: ("身份证", "居民身份证"), "港澳居民来往内地通行证": ("通行证", "港澳居民来往内地通行证"),
                  "港澳居民居住证": ("居住证", "港澳居民居住证")}


@functools.lru_cache(maxsize=None)
def form_docx(key: str) -> bytes:
    sent = SENT[key]
    style = dataclasses.replace(STYLES["official"], split_tables=True) if sent.layout == "split" \
        else STYLES[sent.layout]
    data = FormWriter(person(key), dataclasses.replace(style, title=sent.title)).docx()
    return with_rewritten_text(data, sent.rewrites) if sent.rewrites else data


def _perspective(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients that map ``target`` corners back onto ``source``."""
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
    solved = np.linalg.solve(np.array(rows, dtype=float), np.array([c for p in source for c in p], dtype=float))
    return [float(c) for c in solved]


def on_desk(page: Image.Image, rng: random.Random, tilt: float) -> Image.Image:
    """A printed page photographed from above at ``tilt`` (0.1 ≈ 12°): the far edge shorter
    than the near one, the sheet turned a little, a desk around it, a shadow across."""
    w, h = page.size
    canvas = (int(w * 1.2), int(h * 1.12))
    left, top = (canvas[0] - w) / 2, (canvas[1] - h) / 2
    turn = rng.uniform(-0.02, 0.02) * h
    corners = [(left + tilt * w, top + turn), (left + w - tilt * w, top - turn),
               (left + w + 0.02 * w, top + h + turn), (left - 0.02 * w, top + h - turn)]
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    coefficients = _perspective(source, corners)
    warped = page.transform(canvas, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC)
    inside = Image.new("L", page.size, 255).transform(canvas, Image.Transform.PERSPECTIVE, coefficients)
    photo = Image.new("RGB", canvas, (128, 100, 72))
    photo.paste(warped, (0, 0), inside)
    shadow = Image.new("L", canvas, 255)
    ImageDraw.Draw(shadow).polygon([(0, 0), (canvas[0] * 0.3, 0), (canvas[0] * 0.12, canvas[1]), (0, canvas[1])],
                                   fill=170)
    photo = ImageChops.multiply(photo, shadow.filter(ImageFilter.GaussianBlur(60)).convert("RGB"))
    grain = Image.effect_noise(canvas, 6).convert("RGB")
    return ImageChops.add(photo.filter(ImageFilter.GaussianBlur(0.6)), grain, scale=1.0, offset=-128)


def pdf_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pages = [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    document.close()
    return pages


@functools.lru_cache(maxsize=None)
def angled_form_photos(key: str) -> tuple[tuple[str, bytes], ...]:
    """Every page of the printed form photographed at an angle, one JPEG a page."""
    rng = random.Random(sum(map(ord, key)))
    pages = pdf_pages(docx_to_pdf(form_docx(key)), 200)
    name = PEOPLE[key][1]["name"]
    return tuple((f"{name}申报表第{n}页.jpg", jpeg(on_desk(page, rng, 0.1), quality=85))
                 for n, page in enumerate(pages, start=1))


def _copy(title: str, lines: list[str], unit: str, seed: int) -> bytes:
    image = certificate(title, lines, seal_unit=None, seed=seed)
    width, height = image.size
    draw_seal(image, (int(width * 0.74), int(height * 0.68)), 95, unit, rng=random.Random(seed))
    return jpeg(image)


def copies(key: str) -> dict[str, list[tuple[str, bytes]]]:
    """The candidate's attachments by item, each as (name without the candidate's, bytes)."""
    unit, f, employer, _, _ = PEOPLE[key]
    p, sent, seed = person(key), SENT[key], 300 + sum(map(ord, key)) % 400
    name = p.name
    birth = f["id_number"][6:14] if p.id_type != "港澳居民来往内地通行证" else p.birth_date.replace("-", "")
    photo = (f"{name}+{birth}.{'HEIC' if key == 'ji' else 'heic'}", photo_heic(seed=p.photo_seed or 0)) \
        if sent.photo == "heic" else (f"{name}+{birth}.jpg", photo_jpeg(seed=p.photo_seed or 0))
    short, id_title = ID_COPY_TITLES[p.id_type]
    files: dict[str, list[tuple[str, bytes]]] = {
        "photo": [photo],
        "bio": [(f"{name}个人简介.docx", bio_docx(p))],
        "id_copy": [(f"{short}.jpg", _copy(id_title, [f"姓名 {name}", f"性别 {p.gender}",
                                                      f"证件号码 {p.id_number}"], unit, seed))],
        "diploma_copy": [("毕业证.jpg", _copy("毕业证书", [f"学生 {name}", p.study[0].school,
                                                         "修业期满，成绩合格，准予毕业。"], unit, seed + 1))],
        "degree_copy": [("学位证.jpg", _copy("学位证书", [f"{name} 经审核符合规定", f"授予{p.degree}学位"],
                                            unit, seed + 2))],
        "title_cert": [("职称证.jpg", _copy("专业技术职务任职资格证书", [f"姓名 {name}", f"资格名称 {p.title}"],
                                             unit, seed + 3))],
        "ip_cert": [("专利证书.jpg", _copy("发明专利证书", [f"发明人 {name}", p.ip[0].name[:18]], unit, seed + 4))],
        "benefit_proof": [("应用证明.jpg", _copy("应用证明", [f"{name}同志主持完成的成果", "在我单位应用，效益显著。"],
                                               unit, seed + 5))],
    }
    if sent.copies.startswith("camscanner"):
        scan = scanner_app_pdf(p, sent.copies, seed=seed)
        for item in ("id_copy", "diploma_copy", "degree_copy", "title_cert"):
            files[item] = []
        files["id_copy"] = [(scan.name, scan.data)]
    for item in sent.linked:
        files[item] = []
    return files


def candidate_files(key: str, folder: str = "") -> list[tuple[str, bytes]]:
    """The form and every attachment, named the way the unit names them: the candidate's
    name first, or a folder per candidate (``folder``) with the bare names."""
    name = PEOPLE[key][1]["name"]
    sent = SENT[key]
    forms = list(angled_form_photos(key)) if sent.form_as == "angled_photo" else \
        [(f"{name}申报表.docx", form_docx(key))]
    out = [(folder + n, d) for n, d in forms]
    for item, found in copies(key).items():
        for file_name, data in found:
            keep = item in ("photo", "bio") or file_name.endswith(".pdf") or folder
            out.append((folder + (file_name if keep else f"{name}-{file_name}"), data))
    return out


def public_notice(unit: str, keys: list[str]) -> tuple[str, bytes]:
    listed = "、".join(str(PEOPLE[k][1]["name"]) for k in keys)
    page = certificate("公示", [f"经研究，拟推荐{listed}", "为2025年衡阳市“卓越工程师”候选人，",
                                "现予公示，公示期5个工作日。"], seal_unit=unit, seed=len(unit),
                       size=(1100, 900))
    return (f"{unit}公示.pdf", image_pdf([page]))


# --- summary tables (Attachment 3) ------------------------------------------------------------

# The rows a unit typed differently from the form: (key, column) -> value.
SUMMARY_SLIPS = {("chan", 11): "13607342282", ("peng", 9): "工程师"}


def summary_spec(unit: str, keys: list[str]) -> SummarySpec:
    rows: list[list[object]] = []
    for n, key in enumerate(keys, start=1):
        f = PEOPLE[key][1]
        birth = str(f["birth_date"])
        row: list[object] = [n, f["name"], f["gender"],
                             dt.date.fromisoformat(birth) if len(birth) == 10 else birth.replace("-", "."),
                             f["ethnicity"], "湖南衡阳", f["political_status"], f["employer_and_position"],
                             f"{f['education']}/{f['degree']}", f["title"], f["discipline_1"], f["mobile"]]
        for (slip_key, column), value in SUMMARY_SLIPS.items():
            if slip_key == key:
                row[column] = value
        rows.append(row)
    return SummarySpec(headers=OFFICIAL_HEADERS, rows=rows, header_at=(3, 1), title=TITLE,
                       info=f"推荐单位（盖章）：{unit}    填表人：周敏    电话：0734-8226100")


@functools.lru_cache(maxsize=None)
def summary_file(unit: str, keys: tuple[str, ...], kind: str) -> tuple[str, bytes]:
    spec = summary_spec(unit, list(keys))
    if kind == "xlsx":
        return ("附件3-推荐汇总表.xlsx", build_xlsx(spec))
    if kind == "docx":
        return ("汇总表.docx", build_docx(spec))
    pdf = docx_to_pdf(build_docx(spec))
    if kind == "pdf":
        return ("附件3汇总表（盖章）.pdf", pdf)
    page = pdf_pages(pdf, 200)[0]  # a phone photo of the printed, stamped table
    draw_seal(page, (int(page.width * 0.7), int(page.height * 0.2)), 110, unit)
    return ("汇总表照片.jpg", jpeg(on_desk(page, random.Random(len(unit)), 0.04), quality=85))


# --- mail clients ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Client:
    """How one mail client writes a message: header words, attachment names, body, boundary."""

    charset: str  # of header words and the text body
    names: str  # b (RFC 2047 B in name and filename), rfc2231, apple (2047 name, 2231 filename), raw
    body: str  # base64 or qp
    html: bool  # a text/html alternative beside the plain text
    boundary: str
    headers: tuple[bytes, ...]


CLIENTS = {
    "web163": Client("UTF-8", "b", "base64", True, "----=_Part_{n}_1693028431.1744079{n:03d}",
                     (b"X-Mailer: Coremail Webmail Server Version 2024.2-cmXT build 20240801",
                      b"X-Originating-IP: [222.247.8.17]")),
    "qqmail": Client("gb18030", "b", "base64", True, "----=_NextPart_67F4A1B{n}_0C3D5E70_1A2B3C4D",
                     (b"X-QQ-MIME: TCMime 1.0 by Tencent", b"X-Mailer: QQMail 2.x", b"X-QQ-Mailer: QQMail 2.x")),
    "foxmail": Client("GBK", "b", "base64", True, "----=_001_NextPart57218262{n}_=----",
                      (b"X-Mailer: Foxmail 7.2.25.254[cn]", b"X-Priority: 3")),
    "outlook": Client("utf-8", "rfc2231", "qp", False, "_000_TY2PR06MB33{n}A1B2C3D4E5F6TY2PR06MB3345apcp_",
                      (b"X-Mailer: Microsoft Outlook 16.0", b"Thread-Index: AdmqY0p2r3w9+QxTRh6v0Fq1bA==",
                       b"Content-Language: zh-CN")),
    "iphone": Client("utf-8", "apple", "qp", False, "Apple-Mail-{n}B3D5E1C-8A4F-4C2B-9E0D-1F2A3B4C5D6E",
                     (b"X-Mailer: iPhone Mail (22D82)",)),
    "wps": Client("UTF-8", "raw", "base64", False, "=-=WPSMail-{n}f3e9c=-=",
                  (b"X-Mailer: WPS Mail for Android 2.3.1",)),
}

CONTENT_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".jpg": "image/jpeg", ".heic": "image/heic", ".pdf": "application/pdf",
                 ".zip": "application/x-zip-compressed"}


def _word(text: str, client: Client) -> bytes:
    if text.isascii():
        return text.encode()
    if client.names == "raw":
        return q_word(text, "UTF-8")
    return b_word(text, client.charset)


def _percent(text: str) -> bytes:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in ".-_") else
                   "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in text).encode()


def _attachment(name: str, data: bytes, client: Client) -> bytes:
    kind = CONTENT_TYPES.get(Path(name.lower()).suffix, "application/octet-stream")
    if client.names == "b":
        word = b_word(name, client.charset)
        head = [f"Content-Type: {kind};".encode(), b'\tname="' + word + b'"',
                b"Content-Transfer-Encoding: base64", b"Content-Disposition: attachment;",
                b'\tfilename="' + word + b'"']
    elif client.names == "rfc2231":
        head = [f"Content-Type: {kind};".encode(), b'\tname="' + b_word(name, "utf-8") + b'"',
                b"Content-Disposition: attachment;", b"\tfilename*=utf-8''" + _percent(name),
                b"Content-Transfer-Encoding: base64"]
    elif client.names == "apple":
        head = [b"Content-Disposition: attachment;", b"\tfilename*=utf-8''" + _percent(name),
                f"Content-Type: {kind};".encode(), b"\tx-unix-mode=0644;",
                b'\tname="' + b_word(name, "utf-8") + b'"', b"Content-Transfer-Encoding: base64"]
    else:  # raw 8-bit UTF-8 names
        head = [f"Content-Type: {kind}; name=\"".encode() + name.encode("utf-8") + b'"',
                b"Content-Transfer-Encoding: base64",
                b'Content-Disposition: attachment; filename="' + name.encode("utf-8") + b'"']
    return part(head, base64_body(data))


def _text(text: str, client: Client, subtype: str = "plain") -> bytes:
    codec = "gb18030" if client.charset.lower() in ("gbk", "gb18030") else "utf-8"
    data = text.replace("\n", "\r\n").encode(codec)
    if client.body == "qp":
        return part([f"Content-Type: text/{subtype}; charset={client.charset}".encode(),
                     b"Content-Transfer-Encoding: quoted-printable"], quopri.encodestring(data))
    return part([f'Content-Type: text/{subtype}; charset="{client.charset}"'.encode(),
                 b"Content-Transfer-Encoding: base64"], base64_body(data))


def compose(client_name: str, display: str, address: str, subject: str, body: str,
            files: list[tuple[str, bytes]], when: dt.datetime, key: str, html: str | None = None) -> bytes:
    """The message as ``client_name`` writes it."""
    client = CLIENTS[client_name]
    number = sum(map(ord, key)) % 89 + 10
    boundary = client.boundary.format(n=number)
    text = _text(body, client)
    if client.html or html is not None:
        markup = html or "".join(f"<div>{line or '<br>'}</div>" for line in body.split("\n"))
        text = multipart("alternative", boundary + "alt",
                         [_text(body, client), _text(markup, client, "html")]).rstrip(CRLF)
    headers = [b"From: " + (b'"' + _word(display, client) + b'"' if client_name == "qqmail" else _word(display, client))
               + f" <{address}>".encode(),
               b"To: \"hykxxhb\" <hykxxhb@163.com>", b"Subject: " + _word(subject, client),
               f"Date: {format_datetime(when)}".encode(), f"Message-ID: <{key}.{number}@third.example.cn>".encode(),
               b"MIME-Version: 1.0", *client.headers]
    return multipart("mixed", boundary, [text, *(_attachment(n, d, client) for n, d in files)], headers)


def gb18030_zip(files: list[tuple[str, bytes]]) -> bytes:
    """A zip made by a Chinese Windows tool: names in GB18030 bytes, no UTF-8 flag."""
    return zip_bytes([(LegacyNameInfo(name.encode("gb18030"), date_time=(2025, 4, 7, 20, 15, 0)), data)
                      for name, data in files])


# --- cloud attachment blocks ------------------------------------------------------------------

def netease_block(files: list[tuple[str, str, str, str]]) -> tuple[str, str]:
    """163 webmail's 超大附件: (name, size, expiry, link) rows, as plain text and HTML."""
    plain = "\n\n从网易163邮箱发来的超大附件\n\n" + "\n".join(
        f"{name} ({size}, {expiry} 到期)\n进入下载页面：{link}\n" for name, size, expiry, link in files)
    rows = "".join(
        f'<div style="clear:both;height:36px;padding:6px 4px;"><div style="padding-left:34px;line-height:14px;">'
        f'<div><a href="{link}" style="color:#000;text-decoration:none;font-size:14px;">{name}</a>'
        f'<span style="color:#bbb;">({size}, {expiry} 到期)</span></div>'
        f'<div style="padding-top:4px;"><a href="{link}" target="_blank" style="color:#1e5494;">进入下载页面</a>'
        f"</div></div></div>" for name, size, expiry, link in files)
    html = ('<div id="divNeteaseBigAttach" style="clear:both;"><div style="padding:4px 0 4px 0;font-size:14px;">'
            f'<b>从网易163邮箱发来的超大附件</b></div><div style="background:#f2f7fb;padding:2px 10px;">{rows}'
            "</div></div>")
    return plain, html


def qq_station_block(files: list[tuple[str, str, str, str]]) -> str:
    """QQ Mail's 文件中转站 block as Foxmail forwards it in plain text."""
    return "\n\n以下文件来自QQ邮箱文件中转站：\n" + "".join(
        f"{name} ({size}, {expiry})\n{link}\n" for name, size, expiry, link in files)


# --- the campaign ---------------------------------------------------------------------------

@dataclass
class Expected:
    """What the register must say about one candidate (every value a literal of this file)."""

    key: str
    name: str
    recommender: str
    id_number: str | None
    fields: dict[str, object]
    checklist: dict[str, bool]
    codes: set[str]
    scanned: bool = False  # the form read by OCR: a field may be unread (None), never wrong


@dataclass
class ThirdCampaign:
    mails: list[tuple[str, bytes]]  # path in the drop folder (a unit's folder: "unit/file"), bytes
    candidates: list[Expected]
    unit_codes: dict[str, set[str]]
    package_codes: dict[str, set[str]]  # per package source (file or folder name in the drop folder)
    repeats: dict[str, str]  # the source of a repeated delivery -> the source of the first
    dropped_at: dt.datetime  # when staff saved the units' folders (their files' times)


def _checklist(unticked: set[str]) -> dict[str, bool]:
    return {item: item not in unticked for item in CHECKLIST}


NO_AWARDS = {"award_certs", "paper_award_proof"}  # everyone declared 无相关奖励

# key -> (finding codes, checklist items not ticked beyond NO_AWARDS, fields other than PEOPLE's)
EXPECTED: dict[str, tuple[set[str], set[str], dict[str, object]]] = {
    "gong": ({"IP_PROOF_MISSING", "BENEFIT_PROOF_MISSING", "ACHIEVEMENT_PROOF_MISSING"},
             {"ip_proof", "benefit_proof", "achievement_proof"}, {}),
    "lu": ({"YOUTH"}, set(), {}),
    "ji": ({"YOUTH", "PHOTO_SPEC"}, set(), {}),
    "tan": (set(), set(), {}),
    "chan": ({"YOUTH"}, set(), {}),
    "liu": (set(), set(), {}),
    "huang": ({"YOUTH"}, set(), {}),
    "zou": ({"FORM_OUTDATED"}, set(), {}),
    "ayi": ({"YOUTH", "DIPLOMA_COPY_MISSING", "DEGREE_COPY_MISSING"}, {"diploma_copy", "degree_copy"}, {}),
    "peng": ({"DATE_FORMAT"}, set(), {}),
    "sun": ({"YOUTH", "PHOTO_SPEC"}, set(), {}),
    "zeng": (set(), set(), {}),
    "ou": ({"FORM_OUTDATED"}, set(), {}),
    "he": ({"YOUTH", "FORM_NOT_WORD"}, set(), {}),
    "mo": ({"YOUTH", "FORM_NOT_WORD"}, set(), {}),
    "dilnar": (set(), set(), {}),
}

UNIT_CODES: dict[str, set[str]] = {
    CHEM: set(), LEIYANG: set(), CIVIL: {"SUMMARY_MISMATCH"}, HENGDONG: set(), NORMAL: {"SUMMARY_MISMATCH"},
    CHANGNING: set(), POWER: set(), AGRI: set(), ENV: {"SUMMARY_TABLE_MISSING"},
}


def expectations() -> list[Expected]:
    out = []
    for key, (codes, unticked, fields) in EXPECTED.items():
        unit, section, _, _, _ = PEOPLE[key]
        angled = SENT[key].form_as == "angled_photo"
        out.append(Expected(key, str(section["name"]), unit, str(section["id_number"]),
                            {**section, **fields}, _checklist(NO_AWARDS | unticked), set(codes),
                            scanned=angled))
    return out


def _when(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 4, day, hour, minute, tzinfo=SHANGHAI)


def build_third_campaign() -> ThirdCampaign:
    mails: list[tuple[str, bytes]] = []
    packages: dict[str, set[str]] = {}
    repeats: dict[str, str] = {}

    def send(source: str, raw: bytes, codes: set[str] | None = None) -> None:
        mails.append((source, raw))
        packages[source] = codes or set()

    hello = "王老师您好：\n附件为{unit}推荐的卓越工程师候选人申报材料，请查收。\n{unit}"

    # 1. 化工学会, 163 webmail: the proofs of one candidate as 超大附件 (HTML and plain).
    links = [("龚立诚专利证书及应用证明.zip", "96.8M", "2025年4月23日 16:05",
              "https://mail.163.com/large-attachment-download/index.html?p=X-NETEASE-HUGE-ATTACHMENT&file=a9c31e"),
             ("龚立诚成果效益证明扫描件.pdf", "57.1M", "2025年4月23日 16:05",
              "https://mail.163.com/large-attachment-download/index.html?p=X-NETEASE-HUGE-ATTACHMENT&file=0d7f42")]
    plain, block = netease_block(links)
    body = hello.format(unit=CHEM) + "\n证明材料较大，以超大附件发送。"
    files = candidate_files("gong") + candidate_files("lu") + [
        summary_file(CHEM, ("gong", "lu"), "xlsx"), public_notice(CHEM, ["gong", "lu"])]
    send("01-chem-163.eml", compose("web163", "衡阳市化工学会", "hyhgxh@163.com", "化工学会卓越工程师推荐材料",
                                    body + plain, files, _when(8, 16, 5), "chem",
                                    html="".join(f"<div>{line}</div>" for line in body.split("\n")) + block),
         {"CLOUD_ATTACHMENT"})

    # 2. 耒阳市科协 from an iPhone: a HEIC photo, a rare name, the summary table as PDF.
    files = candidate_files("ji") + candidate_files("tan") + [
        summary_file(LEIYANG, ("ji", "tan"), "pdf"), public_notice(LEIYANG, ["ji", "tan"])]
    send("02-leiyang-iphone.eml", compose("iphone", "耒阳市科协 𠮷志远", "lykx_office@icloud.com",
                                          "耒阳市科协推荐卓越工程师人选材料（𠮷志远、谭慧敏）",
                                          hello.format(unit=LEIYANG) + "\n\n从我的iPhone发送", files,
                                          _when(9, 8, 47), "leiyang"))

    # 3. 土木建筑学会, QQ Mail, sent twice: a 扫描全能王 PDF; the summary table photographed.
    files = candidate_files("chan") + candidate_files("liu") + [
        summary_file(CIVIL, ("chan", "liu"), "photo"), public_notice(CIVIL, ["chan", "liu"])]
    for n, (subject, when) in enumerate((("土木建筑学会申报材料", _when(9, 10, 12)),
                                         ("土木建筑学会申报材料（重发）", _when(9, 10, 19)))):
        send(f"03-civil-qq-{n + 1}.eml", compose("qqmail", "衡阳市土木建筑学会", "1783320456@qq.com", subject,
                                               hello.format(unit=CIVIL), files, when, f"civil{n}"))
    repeats["03-civil-qq-2.eml"] = "03-civil-qq-1.eml"

    # 4. 衡东县科协, 163 webmail: the candidate's own mail forwarded inline, then its own mail
    #    with last year's form for the other candidate.
    send("04-hengdong-fw.eml", inline_163(HENGDONG, "hdxkx@163.com", "黄子谦", "huangzq@hdzhcs.cn",
                                          candidate_files("huang"), _when(8, 9, 30)))
    files = candidate_files("zou") + [summary_file(HENGDONG, ("huang", "zou"), "xlsx"),
                                      public_notice(HENGDONG, ["huang", "zou"])]
    send("04-hengdong-163.eml", compose("web163", "衡东县科协", "hdxkx@163.com", "衡东县科协卓越工程师申报",
                                        hello.format(unit=HENGDONG), files, _when(8, 9, 42), "hengdong"))

    # 5. 衡阳师范学院科协 from Foxmail: two copies in QQ 文件中转站, summary PDF with a slip.
    station = [("阿依古丽·买买提毕业证学位证扫描件.zip", "52.3M", "30天后过期",
                "https://wx.mail.qq.com/ftn/download?func=3&k=5e1d77a0&key=0a77d1e5&code=8c2f&fweb=1&cl=1")]
    files = candidate_files("ayi") + candidate_files("peng") + [
        summary_file(NORMAL, ("ayi", "peng"), "pdf"), public_notice(NORMAL, ["ayi", "peng"])]
    send("05-normal-foxmail.eml", compose("foxmail", "衡阳师范学院科协", "hynukx@foxmail.com",
                                          "衡阳师范学院科协-卓越工程师申报材料",
                                          hello.format(unit=NORMAL) + "\n毕业证和学位证扫描件在中转站。"
                                          + qq_station_block(station), files, _when(9, 15, 20), "normal"),
         {"CLOUD_ATTACHMENT"})

    # 6. 常宁市科协 from WPS Mail on Android, sent twice: one zip with GB18030 names (a
    #    rare name among them), a HEIC photo, a personnel list beside the summary table.
    inside = candidate_files("sun", "孙𨚕/") + candidate_files("zeng", "曾宪斌/") + [
        summary_file(CHANGNING, ("sun", "zeng"), "xlsx"), public_notice(CHANGNING, ["sun", "zeng"]),
        ("常宁市科协会员花名册.xlsx", build_xlsx(personnel_list_spec(40, "常宁市科协会员花名册")))]
    archive = [("常宁市科协推荐材料.zip", gb18030_zip(inside))]
    for n, when in enumerate((_when(10, 11, 2), _when(10, 11, 5))):
        send(f"06-changning-wps-{n + 1}.eml", compose("wps", "常宁市科协", "cnskx2025@163.com",
                                                    "常宁市科协卓越工程师推荐材料", "材料见压缩包。", archive,
                                                    when, f"changning{n}"),
             set() if n else {"UNASSIGNED_FILE"})  # the member list is nobody's, named once
    repeats["06-changning-wps-2.eml"] = "06-changning-wps-1.eml"

    # 7. 电力学会 from Outlook: the provincial form, a CamScanner PDF, a form photographed.
    files = candidate_files("ou") + candidate_files("he") + [
        summary_file(POWER, ("ou", "he"), "docx"), public_notice(POWER, ["ou", "he"])]
    send("07-power-outlook.eml", compose("outlook", "衡阳市电力学会 秘书处", "hydlxh@hy-power.org.cn",
                                         "电力学会：卓越工程师候选人推荐材料", hello.format(unit=POWER), files,
                                         _when(10, 17, 40), "power"))

    # 8. 农学会, QQ Mail: a candidate's mail forwarded as an attachment (the form attached
    #    again beside it), then its own mail with a photographed form and summary table.
    dilnar = candidate_files("dilnar")
    inner = [f for f in dilnar if f[0].endswith((".docx", "+19800227.jpg"))]
    again = [dilnar[0]] + [f for f in dilnar if f not in inner]
    send("08-agri-fw.eml", attached_qq(AGRI, "2290138475@qq.com", "迪丽娜尔·艾山", "dilnar@hynks.cn",
                                       inner, again, _when(9, 14, 0)))
    files = candidate_files("mo") + [summary_file(AGRI, ("mo", "dilnar"), "photo"),
                                     public_notice(AGRI, ["mo", "dilnar"])]
    send("08-agri-qq.eml", compose("qqmail", "衡阳市农学会", "2290138475@qq.com", "农学会推荐材料",
                                   hello.format(unit=AGRI), files, _when(9, 14, 30), "agri"))

    # 9. 环境科学学会: a folder of other offices' forms and tables, nothing of this campaign.
    folder = ENV
    others = [("工程项目申请表.docx", (REALWORLD_OFFICE / "poitl-issue-161.docx").read_bytes()),
              ("部门OKR.docx", (REALWORLD_OFFICE / "poitl-okr-OKR.docx").read_bytes()),
              ("付款申请单.docx", (REALWORLD_OFFICE / "poitl-payment-payment.docx").read_bytes()),
              ("职工技能竞赛报名表.docx", registration_form("吴建军")),
              ("统计表.xlsx", (REALWORLD_OFFICE / "easyexcel-compatibility-t03.xlsx").read_bytes()),
              ("学会会员名册.xlsx", build_xlsx(personnel_list_spec(60, "衡阳市环境科学学会会员名册")))]
    for name, data in others:
        mails.append((f"{folder}/{name}", data))
    packages[f"{folder}/"] = set()

    return ThirdCampaign(mails, expectations(), {u: set(c) for u, c in UNIT_CODES.items()}, packages,
                         repeats, _when(10, 16, 30))
