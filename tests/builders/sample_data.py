"""The invented candidates of ``sample_people``, one small function each.

What each person exercises is said in its docstring: row counts, choices, edge cases.
"""

from __future__ import annotations

from .people import Person, award, ip, make_id_number, org, result, study, work

CAT_PROJECT = "重大工程建设"
CAT_EQUIPMENT = "重大装备制造"
CAT_CHOKE = "“卡脖子”关键核心技术攻关"
CAT_INVENTION = "重大发明创造"


def zhou_liheng() -> Person:
    """Steel-tube engineer: the plain case, employer with a space, by-category results 1 and 2."""
    return Person(
        slug="zhou_liheng", recommender="衡阳市机械工程学会", name="周立衡",
        employer="衡阳华菱钢管有限公司", domain="装备制造领域", subdomain="机械与运载工程",
        classified=False, secret_level="无", filled_date="2025-04-08",
        gender="男", birth_date="1986-03-12", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="研究生", degree="硕士", admin_level="无",
        title="高级工程师", discipline_1="机械工程", discipline_2="机械制造及其自动化",
        id_type="居民身份证", id_number=make_id_number("430408", "1986-03-12", "男", 215),
        employer_and_position="衡阳华菱钢管有限公司 技术中心主任",
        employer_region="湖南省衡阳市蒸湘区", employer_nature="国有企业",
        office_phone="0734-8872316", mobile="13907341286", email="zhoulh_htp@163.com",
        address="湖南省衡阳市蒸湘区大栗新村10号", postcode="421001",
        study=[
            study("2004-09", "2008-06", "南华大学机械工程学院", "机械工程及自动化", "学士"),
            study("2008-09", "2011-06", "中南大学机电工程学院", "机械制造及其自动化", "硕士"),
        ],
        work=[
            work("2011-07", "2015-12", "衡阳华菱钢管有限公司技术中心", "工程师"),
            work("2016-01", "2019-12", "衡阳华菱钢管有限公司技术中心", "工艺室主任/高级工程师"),
            work("2020-01", "2022-06", "衡阳华菱钢管有限公司技术中心", "副主任/高级工程师"),
            work("2022-07", None, "衡阳华菱钢管有限公司技术中心", "主任/高级工程师"),
        ],
        achievements=[
            "长期扎根无缝钢管生产一线，主持PQF连轧机组孔型优化与在线淬火工艺研究，解决了高钢级油井管壁厚不均、淬火开裂等难题。",
            "作为第一完成人研制的在线淬火冷却装置已在两条生产线推广应用，产品一次合格率由93.1%提高到98.6%，近三年新增利润1.2亿元。",
            "个人负责总体方案与关键工艺参数设计，团队完成设备集成调试，单位提供产线改造条件。",
        ],
        results=[
            result("1", CAT_PROJECT, "Φ460 PQF连轧机组升级改造工程", "技术负责人",
                   "建成国内首条具备在线淬火能力的大口径连轧线，年产能提升15万吨。",
                   "提出孔型优化方案，主持工艺调试。"),
            result("2", CAT_EQUIPMENT, "高钢级油井管在线淬火冷却装置", "项目负责人",
                   "装备达到国内领先水平，已推广2条产线。\n产品一次合格率提高5.5个百分点。",
                   "负责总体设计与关键参数计算，主持样机研制。", "湖南省首台套"),
        ],
        organizations=[org("2019-05", None, "衡阳市机械工程学会", "理事")],
        ip=[
            ip("1", "一种无缝钢管在线淬火冷却装置（ZL201910532178.4）", "2021", "1/6",
               "已在公司PQF连轧产线应用，年增效2600万元。", "提出技术方案并主持样机研制。"),
            ip("2", "一种连轧管机孔型设计方法（ZL202010276431.9）", "2022", "2/5",
               "应用于Φ460机组孔型设计。", "完成孔型计算模型。"),
            ip("3", "热轧无缝钢管在线淬火工艺规范（Q/HYGG 0215-2023）", "2023", "1/8",
               "企业标准，全公司执行。", "主持起草。"),
        ],
        awards=[
            award("1", "2022年12月", "湖南省科学技术进步奖", "二等奖（排名第2）", "负责在线淬火工艺研究与产线应用。"),
            award("2", "2021年10月", "中国钢铁工业协会冶金科学技术奖", "三等奖（排名第1）", "项目总体负责。"),
        ],
        photo_seed=1,
    )


def ouyang_xiaolan() -> Person:
    """Compound surname, 九三学社, sequential results 1-3, five IP rows, 无相关奖励, no office phone."""
    return Person(
        slug="ouyang_xiaolan", recommender="衡阳高新区科协", name="欧阳晓岚",
        employer="衡阳雁城光电科技有限公司", domain="信息电子领域", subdomain="信息与电子工程",
        classified=False, secret_level="无", filled_date="2025-04-03",
        gender="女", birth_date="1990-11-05", ethnicity="汉族", nationality="中国",
        political_status="九三学社社员", education="博士研究生", degree="博士", admin_level="无",
        title="高级工程师", discipline_1="电子科学与技术", discipline_2="微电子学与固体电子学",
        id_type="居民身份证", id_number=make_id_number("430407", "1990-11-05", "女", 402),
        employer_and_position="衡阳雁城光电科技有限公司研发部副部长",
        employer_region="湖南省衡阳市高新技术产业开发区", employer_nature="民营企业",
        office_phone=None, mobile="13517345820", email="oyxl2018@qq.com",
        address="湖南省衡阳市高新区解放大道28号创新创业园B栋", postcode="421005",
        study=[
            study("2008-09", "2012-06", "湘潭大学物理与光电工程学院", "电子科学与技术", "学士"),
            study("2012-09", "2015-06", "华中科技大学光学与电子信息学院", "微电子学与固体电子学", "硕士"),
            study("2015-09", "2018-12", "华中科技大学光学与电子信息学院", "微电子学与固体电子学", "博士"),
        ],
        work=[
            work("2019-01", "2021-06", "衡阳雁城光电科技有限公司", "研发工程师"),
            work("2021-07", None, "衡阳雁城光电科技有限公司研发部", "副部长/高级工程师"),
        ],
        achievements=[
            "主要从事红外焦平面读出电路与光电探测模组研发。",
            "主持设计的640×512非制冷红外读出电路实现量产，打破国外厂商在该档产品上的长期垄断，模组成本下降40%。",
            "在团队中负责电路架构与版图设计，团队负责封装与测试，公司负责产线建设。",
        ],
        results=[
            result("1", CAT_EQUIPMENT, "非制冷红外热像模组产线", "技术骨干",
                   "年产模组3万套，产品用于电力巡检与森林防火。", "负责读出电路设计与量产导入。"),
            result("2", CAT_CHOKE, "640×512非制冷红外读出电路", "项目负责人",
                   "打破国外垄断，关键指标达到国际先进水平。", "提出低噪声积分架构，完成流片验证。"),
            result("3", CAT_INVENTION, "一种自校准红外探测像元偏置方法", "第一发明人",
                   "解决大面阵非均匀性问题，已转化应用。", "提出方法并完成验证。"),
        ],
        ip=[
            ip("1", "一种红外读出电路的低噪声积分器（ZL202110845236.1）", "2023", "1/4", "已量产应用。", "提出电路结构。"),
            ip("2", "一种自校准像元偏置电路（ZL202210117745.X）", "2023", "1/3", "用于640×512产品。", "完成设计与验证。"),
            ip("3", "红外模组测试软件V1.0（2022SR0563412）", "2022", "1/2", "产线测试使用。", "总体设计。"),
            ip("4", "一种红外模组封装结构（ZL202221086730.5）", "2022", "3/6", "已应用。", "参与结构设计。"),
            ip("5", "非制冷红外热像模组通用规范（T/HNEA 012-2024）", "2024", "2/9", "团体标准。", "起草性能条款。"),
        ],
        awards_none_declared=True,
        photo_seed=2,
    )


def tan_zhiyuan() -> Person:
    """Grid engineer: no photo, blank 填报日期, 处级, results at seq 1 and 5 (same category twice)."""
    return Person(
        slug="tan_zhiyuan", recommender="衡阳市电机工程学会", name="谭志远",
        employer="国网湖南省电力有限公司衡阳供电分公司", domain="建筑、能源与化工领域",
        subdomain="能源与矿业工程", classified=False, secret_level="无", filled_date=None,
        gender="男", birth_date="1978-06-21", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="大学本科", degree="学士", admin_level="处级",
        title="正高级工程师", discipline_1="电气工程", discipline_2="电力系统及其自动化",
        id_type="居民身份证", id_number=make_id_number("430405", "1978-06-21", "男", 31),
        employer_and_position="国网湖南省电力有限公司衡阳供电分公司 副总工程师",
        employer_region="湖南省衡阳市石鼓区", employer_nature="国有企业",
        office_phone="0734-8223061", mobile="13973416603", email="tan.zhiyuan@126.com",
        address="湖南省衡阳市石鼓区蔡伦大道162号", postcode="421002",
        study=[study("1996-09", "2000-07", "武汉大学电气工程学院", "电气工程及其自动化", "学士")],
        work=[
            work("2000-07", "2004-12", "衡阳电业局变电检修工区", "技术员/助理工程师"),
            work("2005-01", "2010-06", "衡阳电业局生产技术部", "专责/工程师"),
            work("2010-07", "2016-03", "国网衡阳供电公司运维检修部", "副主任/高级工程师"),
            work("2016-04", "2020-12", "国网衡阳供电公司运维检修部", "主任/高级工程师"),
            work("2021-01", None, "国网湖南省电力有限公司衡阳供电分公司", "副总工程师/正高级工程师"),
        ],
        achievements=[
            "二十余年坚守电网生产一线，主持衡阳500千伏船山输变电工程投运调试和城区配网自动化改造。",
            "提出的覆冰线路融冰方案在2022年冰灾中保障了湘南电网主网架安全，避免直接经济损失约3亿元。",
        ],
        results=[
            result("1", CAT_PROJECT, "衡阳500千伏船山输变电工程", "现场技术负责人",
                   "工程提前45天投运，缓解湘南地区供电紧张。", "组织调试方案编制，解决GIS局放超标问题。"),
            result("5", CAT_PROJECT, "衡阳城区配电网自动化改造工程", "项目负责人",
                   "供电可靠率提高到99.97%。", "主持方案设计与实施。", "市重点工程"),
        ],
        organizations=[
            org("2015-06", "2020-05", "衡阳市电机工程学会", "副秘书长"),
            org("2020-06", None, "衡阳市电机工程学会", "副理事长"),
            org("2018-01", None, "湖南省电机工程学会输电专委会", "委员"),
        ],
        ip=[
            ip("1", "一种架空线路直流融冰装置（ZL201811204567.3）", "2020", "1/7", "在湘南电网推广。", "提出方案。"),
            ip("", "配电自动化终端运维规程（Q/GDW-HY 103-2021）", "2021", "1", "公司执行。", "主持编写。"),
        ],
        awards=[
            award("1", "2019.12", "国家电网公司科技进步奖", "三等奖（第3）", "负责现场试验。"),
            award("2", "2021.11", "湖南省电力科学技术进步奖", "一等奖（第1）", "项目总负责。"),
            award("3", "2023.01", "衡阳市科学技术进步奖", "二等奖（第1）", "项目总负责。"),
        ],
        photo_seed=None,
    )


def liao_xuemei() -> Person:
    """Chemicals: born 1985-01-01 (the youth cut-off), ID ending in X, one result at seq 3."""
    return Person(
        slug="liao_xuemei", recommender="衡阳市化学化工学会", name="廖雪梅",
        employer="衡阳湘江精细化工有限公司", domain="建筑、能源与化工领域",
        subdomain="化工、冶金与材料工程", classified=False, secret_level="无", filled_date="2025-04-09",
        gender="女", birth_date="1985-01-01", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="研究生", degree="硕士", admin_level="无",
        title="高级工程师", discipline_1="化学工程与技术", discipline_2="化学工艺",
        id_type="居民身份证", id_number=make_id_number("430421", "1985-01-01", "女", 120, check_x=True),
        employer_and_position="衡阳湘江精细化工有限公司总工程师",
        employer_region="湖南省衡阳市松木经济开发区", employer_nature="民营企业",
        office_phone="0734-8506612", mobile="13807348815", email="liaoxm@xjchem-hy.cn",
        address="湖南省衡阳市石鼓区松木经济开发区工业大道9号", postcode="421008",
        study=[
            study("2003-09", "2007-07", "湘潭大学化工学院", "化学工程与工艺", "学士"),
            study("2007-09", "2010-06", "华东理工大学化工学院", "化学工艺", "硕士"),
        ],
        work=[
            work("2010-07", "2014-06", "衡阳湘江精细化工有限公司", "技术员/助理工程师"),
            work("2014-07", "2019-12", "衡阳湘江精细化工有限公司技术部", "部长/工程师"),
            work("2020-01", None, "衡阳湘江精细化工有限公司", "总工程师/高级工程师"),
        ],
        achievements=[
            "主持氯化钡清洁生产工艺攻关，开发钡渣资源化利用技术，使每吨产品废渣排放量下降72%。",
            "牵头建成国内首套连续化硫化钡浸取装置，能耗下降28%，获评省级绿色工厂。",
        ],
        results=[
            result("3", CAT_CHOKE, "高纯碳酸钡连续化制备技术", "项目负责人",
                   "产品纯度达到99.9%，替代进口电子级碳酸钡。", "提出连续碳化工艺路线并组织中试。"),
        ],
        organizations=[
            org("2018-09", None, "衡阳市化学化工学会", "常务理事"),
            org("2021-03", None, "湖南省无机盐行业协会", "专家委员"),
        ],
        ip=[
            ip("1", "一种钡渣资源化利用方法（ZL201910210338.6）", "2021", "1/5", "已建成万吨级装置。", "提出工艺。"),
            ip("2", "一种高纯碳酸钡的连续化制备方法（ZL202011045187.2）", "2022", "1/6", "量产应用。", "主持研发。"),
            ip("3", "一种硫化钡连续浸取装置（ZL202120557261.8）", "2021", "2/6", "已应用。", "参与设计。"),
            ip("4", "工业碳酸钡（HG/T 2776-2023）", "2023", "5/12", "行业标准。", "参与起草。"),
        ],
        awards=[award("1", "2023年11月", "湖南省技术发明奖", "三等奖（第1）", "提出核心工艺。")],
        photo_seed=4,
    )


def he_zhenyu() -> Person:
    """Defence: 涉密 是 / 秘密, 科级, results at seq 2 and 4, no organisations."""
    return Person(
        slug="he_zhenyu", recommender="衡阳市国防科技工业学会", name="贺振宇",
        employer="衡阳南岳精密机械厂", domain="装备制造领域", subdomain="机械与运载工程",
        classified=True, secret_level="秘密", filled_date="2025-04-07",
        gender="男", birth_date="1983-09-30", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="大学本科", degree="工学学士", admin_level="科级",
        title="高级工程师", discipline_1="兵器科学与技术", discipline_2="武器系统与运用工程",
        id_type="居民身份证", id_number=make_id_number("430412", "1983-09-30", "男", 77),
        employer_and_position="衡阳南岳精密机械厂总装车间主任",
        employer_region="湖南省衡阳市南岳区", employer_nature="国有企业",
        office_phone="0734-5663108", mobile="13574720937", email="hezy_nyjx@163.com",
        address="湖南省衡阳市南岳区祝融路66号", postcode="421900",
        study=[study("2001-09", "2005-07", "南京理工大学机械工程学院", "武器系统与发射科学与技术", "工学学士")],
        work=[
            work("2005-07", "2012-12", "衡阳南岳精密机械厂设计所", "设计员/工程师"),
            work("2013-01", "2018-06", "衡阳南岳精密机械厂工艺处", "副处长/高级工程师"),
            work("2018-07", None, "衡阳南岳精密机械厂总装车间", "主任/高级工程师"),
        ],
        achievements=[
            "长期从事某型装备总装工艺研究，主持柔性装配线建设，装配周期缩短35%。",
            "攻克精密传动部件装配精度保持难题，产品交付合格率连续五年100%。",
        ],
        results=[
            result("2", CAT_EQUIPMENT, "某型装备柔性总装生产线", "项目负责人",
                   "形成年产能力提升一倍。", "主持工艺设计与产线建设。", "涉密，已脱密处理"),
            result("4", CAT_INVENTION, "精密传动部件预紧力自适应装配方法", "第一完成人",
                   "装配一次合格率由91%提高到99.5%。", "提出方法，研制工装。"),
        ],
        ip=[ip("1", "一种精密齿轮副预紧力装配工装（ZL202020441876.2）", "2021", "1/4", "用于总装线。", "提出并设计。")],
        awards=[
            award("1", "2020年12月", "国防科学技术进步奖", "三等奖（排名第4）", "负责总装工艺。"),
            award("2", "2023年6月", "湖南省国防科技工业局科技进步奖", "二等奖（排名第1）", "项目负责。"),
        ],
        photo_seed=5,
    )


def liu_xiangning() -> Person:
    """Software: 其他 → 人工智能工程, leap-day birth date, 共青团员, 无相关奖励, no office phone."""
    return Person(
        slug="liu_xiangning", recommender="衡阳市计算机学会", name="刘湘宁",
        employer="衡阳智云数联科技有限公司", domain="信息电子领域", subdomain="人工智能工程",
        classified=False, secret_level="无", filled_date="2025-04-10",
        gender="男", birth_date="1992-02-29", ethnicity="汉族", nationality="中国",
        political_status="共青团员", education="研究生", degree="硕士", admin_level="无",
        title="工程师", discipline_1="计算机科学与技术", discipline_2="计算机应用技术",
        id_type="居民身份证", id_number=make_id_number("430406", "1992-02-29", "男", 553),
        employer_and_position="衡阳智云数联科技有限公司算法部经理",
        employer_region="湖南省衡阳市雁峰区", employer_nature="民营企业",
        office_phone=None, mobile="13087342201", email="liuxn@zhiyunsl.cn",
        address="湖南省衡阳市雁峰区白沙洲工业园长塘路3号", postcode="421007",
        study=[
            study("2010-09", "2014-06", "湖南大学信息科学与工程学院", "计算机科学与技术", "学士"),
            study("2014-09", "2017-06", "中南大学计算机学院", "计算机应用技术", "硕士"),
        ],
        work=[
            work("2017-07", "2020-02", "深圳市云图视觉科技有限公司", "算法工程师"),
            work("2020-03", None, "衡阳智云数联科技有限公司算法部", "经理/工程师"),
        ],
        achievements=[
            "主持工业视觉缺陷检测平台研发，在钢管、电子元件等产线部署200余套，检测准确率达到99.2%。",
        ],
        results=[
            result("1", CAT_INVENTION, "面向小样本的工业表面缺陷检测方法及平台", "项目负责人",
                   "已在8家企业应用，替代人工目检岗位120个。", "提出小样本训练方法，主持平台开发。"),
        ],
        organizations=[org("2022-09", None, "衡阳市计算机学会青年工作委员会", "委员")],
        ip=[
            ip("1", "一种基于小样本学习的表面缺陷检测方法（ZL202210338905.4）", "2024", "1/3", "平台核心算法。", "提出方法。"),
            ip("2", "智云工业视觉检测平台V2.0（2023SR0874415）", "2023", "1/1", "已部署200余套。", "独立开发。"),
        ],
        awards_none_declared=True,
        photo_seed=6,
    )


def deng_ruoxi() -> Person:
    """Agriculture, 瑶族, 民盟, 事业单位, 农业工程, two results by category."""
    return Person(
        slug="deng_ruoxi", recommender="衡阳市农学会", name="邓若溪",
        employer="衡阳市农业科学研究院", domain="农医与环境领域", subdomain="农业工程",
        classified=False, secret_level="无", filled_date="2025-04-02",
        gender="女", birth_date="1988-07-15", ethnicity="瑶族", nationality="中国",
        political_status="民盟盟员", education="博士研究生", degree="博士", admin_level="无",
        title="高级工程师", discipline_1="农业工程", discipline_2="农业生物环境与能源工程",
        id_type="居民身份证", id_number=make_id_number("430426", "1988-07-15", "女", 288),
        employer_and_position="衡阳市农业科学研究院农业工程研究室主任",
        employer_region="湖南省衡阳市珠晖区", employer_nature="事业单位",
        office_phone="0734-8459027", mobile="13348713365", email="dengrx_hyny@163.com",
        address="湖南省衡阳市珠晖区东风南路191号", postcode="421002",
        study=[
            study("2006-09", "2010-06", "湖南农业大学工学院", "农业机械化及其自动化", "学士"),
            study("2010-09", "2013-06", "华南农业大学工程学院", "农业工程", "硕士"),
            study("2013-09", "2017-06", "中国农业大学水利与土木工程学院", "农业生物环境与能源工程", "博士"),
        ],
        work=[
            work("2017-07", "2021-12", "衡阳市农业科学研究院", "助理研究员/工程师"),
            work("2022-01", None, "衡阳市农业科学研究院农业工程研究室", "主任/高级工程师"),
        ],
        achievements=[
            "围绕丘陵山区水稻生产机械化，研制双季稻集中育秧智能温室控制系统，育秧成秧率提高到92%。",
            "主持建设衡阳市首个数字化集中育秧中心，带动全市推广育秧中心46个，服务面积80万亩。",
            "本人负责系统总体设计与田间试验，团队完成设备研制，单位组织示范推广。",
        ],
        results=[
            result("1", CAT_PROJECT, "衡阳市双季稻数字化集中育秧中心建设", "技术负责人",
                   "全市推广育秧中心46个，服务面积80万亩。", "完成总体设计与技术培训。"),
            result("4", CAT_INVENTION, "水稻育秧温室环境智能调控方法", "第一发明人",
                   "成秧率提高12个百分点。", "提出控制模型。"),
        ],
        organizations=[
            org("2019-04", None, "衡阳市农学会", "理事"),
            org("2021-07", "2024-06", "湖南省农业工程学会青年委员会", "委员"),
        ],
        ip=[
            ip("1", "一种育秧温室环境调控方法（ZL202010884231.5）", "2022", "1/5", "在46个育秧中心应用。", "提出控制模型。"),
            ip("2", "一种秧盘自动叠放装置（ZL202121874462.0）", "2022", "2/4", "已应用。", "结构设计。"),
            ip("3", "双季稻集中育秧技术规程（DB4304/T 021-2023）", "2023", "1/10", "地方标准。", "主持起草。"),
        ],
        awards=[
            award("1", "2021年", "湖南省农业技术推广奖", "二等奖（第3）", "负责育秧装备试验。"),
            award("2", "2023年", "神农中华农业科技奖", "三等奖（第6）", "参与系统研制。"),
        ],
        photo_seed=7,
    )


def _cao_achievements() -> list[str]:
    return [
        "本人从事铀矿冶装备研发与工程化应用二十余年，始终坚持在工程一线，主持和参与多项国家及省部级重点项目。"
        "以下按成果逐项说明质量、贡献与影响，并区分个人、团队和单位的贡献。",
        "一是主持地浸采铀成套装备国产化攻关。针对进口抽注液泵、过滤器价格高、供货周期长、维修依赖外方等问题，"
        "带领团队开展耐蚀材料筛选、密封结构优化和整机可靠性试验，研制出成套国产化装备十二种，"
        "在内蒙古、新疆等地的四个矿山推广应用，设备采购成本下降百分之四十五，平均无故障时间提高到八千小时以上，"
        "彻底改变了关键装备受制于人的局面。本人负责总体技术路线和关键部件设计，团队完成试制与现场试验，单位提供试验基地与资金保障。",
        "二是主持铀纯化转化连续化装置工程建设。针对间歇式工艺能耗高、流出物多的问题，提出连续萃取与在线监测相结合的工艺路线，"
        "组织完成中试与工程设计，建成国内首套千吨级连续化装置，产品质量稳定达到核纯级要求，流出物排放量下降百分之六十，"
        "年节约成本三千余万元。本人负责工艺方案、关键设备选型和调试，团队完成设计与施工管理。",
        "三是开展放射性废物减容处理关键技术研究。研制高效压实减容装置和在线剂量监测系统，减容比达到八比一，"
        "已在两个核设施退役工程中应用，受到国家主管部门肯定。本人提出装置总体方案并主持样机鉴定。",
        "四是重视标准与人才。主持或参与编制行业标准五项，获授权发明专利十一项；带出高级工程师八名、工程师二十余名，"
        "其中三人成长为车间技术负责人，为企业培养了一支能打硬仗的工程技术队伍。",
        "上述成果得到行业广泛认可，有关装备和工艺已形成系列化产品，在全国同类企业推广，累计新增产值十余亿元，"
        "对保障国家核燃料供应安全、推动核工业装备自主可控和绿色发展作出了重要贡献。本人在上述工作中均为主要完成人或第一完成人，"
        "团队成员在试制、试验和工程实施中作出了重要贡献，单位在组织协调、条件保障方面给予了有力支持。",
        "五是推动数字化转型。主持建设企业级装备全生命周期管理平台，将设计、制造、运维数据贯通，实现关键装备状态在线监测和预测性维护，"
        "设备综合效率提高百分之十八，备品备件库存下降百分之三十。本人负责平台总体架构和数据标准制定，团队完成软件开发和现场部署，"
        "单位提供网络和数据中心条件。该平台已被集团列为数字化转型示范项目，在系统内五家单位推广。",
        "六是服务国家重大工程。作为技术专家参加某重大工程铀资源保障专项论证，牵头编写装备配套技术方案，提出的成套装备国产化路线被主管部门采纳；"
        "在新疆某矿山建设中带队驻场三个月，解决了高寒地区抽注液系统冻堵难题，保证了工程按期投产。本人负责技术方案和现场技术决策，"
        "团队承担设备安装调试，单位组织人员和物资保障。",
        "七是开展产学研协同攻关。与南华大学、中南大学共建铀矿冶装备联合实验室，联合培养研究生二十余名，共同承担省重点研发计划项目三项，"
        "联合发表论文三十余篇，其中SCI、EI收录十五篇；推动两项实验室成果在企业实现转化，新增销售收入八千余万元。"
        "本人担任联合实验室主任，负责研究方向凝练和成果转化组织。",
        "八是坚持安全质量第一。主持修订企业装备设计评审、出厂试验和现场验收制度十二项，建立关键部件质量追溯体系，"
        "近五年交付装备未发生质量安全事故，产品一次交验合格率保持在百分之九十九以上；组织开展核安全文化建设，"
        "带领团队获评集团公司安全生产先进集体。本人负责制度设计和监督落实，团队和单位共同推进执行。",
        "今后将继续扎根一线，围绕核燃料循环前段关键装备开展攻关，争取在智能化地浸采铀和数字化矿山建设方面取得新的突破，"
        "为衡阳打造核技术应用产业集群贡献力量。同时将继续做好传帮带工作，带领青年技术人员在重大工程中锻炼成长。"
        "也将积极参与行业标准制定和国际交流，持续提升我国铀矿冶装备的技术水平和国际竞争力。",
    ]


def cao_wenbo() -> Person:
    """Nuclear: seven study and seven work rows, 涉密 机密, four results, five of 六/七/八, 四 over 1500 characters."""
    return Person(
        slug="cao_wenbo", recommender="衡阳市核学会", name="曹文博",
        employer="中核衡阳矿冶装备有限公司", domain="建筑、能源与化工领域", subdomain="能源与矿业工程",
        classified=True, secret_level="机密", filled_date="2025-04-11",
        gender="男", birth_date="1975-12-03", ethnicity="回族", nationality="中国",
        political_status="中共党员", education="博士研究生", degree="工学博士", admin_level="处级",
        title="正高级工程师", discipline_1="核科学与技术", discipline_2="核燃料循环与材料",
        id_type="居民身份证", id_number=make_id_number("430481", "1975-12-03", "男", 905),
        employer_and_position="中核衡阳矿冶装备有限公司副总经理、总工程师",
        employer_region="湖南省衡阳市珠晖区", employer_nature="国有企业",
        office_phone="0734-8312278", mobile="13975426814", email="caowb1975@cnnc-hyky.cn",
        address="湖南省衡阳市珠晖区衡花路18号中核衡阳矿冶装备有限公司", postcode="421002",
        study=[
            study("1991-09", "1994-07", "衡阳工业学校", "机械制造", ""),
            study("1994-09", "1997-07", "衡阳工学院机械系", "机械设计与制造", ""),
            study("1997-09", "1999-07", "南华大学机械工程学院", "机械设计制造及其自动化", "学士"),
            study("1999-09", "2002-06", "南华大学核科学技术学院", "核燃料循环与材料", "硕士"),
            study("2002-09", "2006-06", "清华大学工程物理系", "核科学与技术", "博士"),
            study("2006-07", "2008-06", "中国原子能科学研究院博士后工作站", "核燃料循环与材料", ""),
            study("2012-09", "2013-01", "英国曼彻斯特大学道尔顿核研究所", "访问学者", ""),
        ],
        work=[
            work("2008-07", "2010-06", "中核衡阳矿冶装备有限公司研究所", "工程师"),
            work("2010-07", "2012-08", "中核衡阳矿冶装备有限公司研究所", "副所长/高级工程师"),
            work("2013-02", "2014-12", "中核衡阳矿冶装备有限公司研究所", "所长/高级工程师"),
            work("2015-01", "2016-12", "中核衡阳矿冶装备有限公司技术中心", "主任/高级工程师"),
            work("2017-01", "2019-06", "中核衡阳矿冶装备有限公司", "副总工程师/正高级工程师"),
            work("2019-07", "2022-12", "中核衡阳矿冶装备有限公司", "总工程师/正高级工程师"),
            work("2023-01", None, "中核衡阳矿冶装备有限公司", "副总经理、总工程师"),
        ],
        achievements=_cao_achievements(),
        results=[
            result("1", CAT_PROJECT, "千吨级铀纯化转化连续化装置工程", "工程总师",
                   "国内首套连续化装置，流出物排放量下降60%。", "提出连续萃取工艺路线，主持调试。"),
            result("2", CAT_EQUIPMENT, "地浸采铀成套装备国产化", "项目负责人",
                   "研制国产化装备12种，在4个矿山推广，采购成本下降45%。", "负责总体技术路线和关键部件设计。"),
            result("3", CAT_CHOKE, "耐强酸高可靠抽注液泵", "技术负责人",
                   "替代进口，平均无故障时间超过8000小时。", "主持密封结构攻关。"),
            result("4", CAT_INVENTION, "放射性废物高效压实减容装置", "第一发明人",
                   "减容比达到8:1，应用于2项退役工程。", "提出总体方案并主持样机鉴定。"),
        ],
        organizations=[
            org("2014-10", None, "中国核学会铀矿冶分会", "理事"),
            org("2016-05", "2021-04", "湖南省核学会", "常务理事"),
            org("2021-05", None, "湖南省核学会", "副理事长"),
            org("2018-11", None, "衡阳市核学会", "理事长"),
            org("2020-01", None, "全国核能标准化技术委员会铀矿冶分委会", "委员"),
        ],
        ip=[
            ip("1", "一种耐强酸地浸抽注液泵（ZL201710582214.6）", "2019", "1/6", "在4个矿山应用。", "提出密封结构。"),
            ip("2", "一种铀纯化连续萃取装置（ZL201810336729.1）", "2020", "1/8", "千吨级装置应用。", "提出工艺。"),
            ip("3", "一种放射性废物压实减容装置（ZL201911024578.3）", "2021", "1/5", "2项退役工程应用。", "总体设计。"),
            ip("4", "地浸采铀井场设备通用技术条件（EJ/T 20234-2022）", "2022", "1/11", "行业标准。", "主持起草。"),
            ip("5", "铀矿冶设备可靠性试验方法（EJ/T 20301-2024）", "2024", "2/9", "行业标准。", "起草试验方法。"),
        ],
        awards=[
            award("1", "2016年12月", "国防科学技术进步奖", "二等奖（排名第2）", "负责抽注液泵研制。"),
            award("2", "2019年11月", "中国核工业集团科学技术奖", "一等奖（排名第1）", "项目总负责。"),
            award("3", "2020年12月", "中国核能行业协会科学技术奖", "二等奖（排名第1）", "提出总体方案。"),
            award("4", "2022年9月", "湖南省科学技术进步奖", "二等奖（排名第1）", "主持项目。"),
            award("5", "2023年12月", "中国专利优秀奖", "排名第1", "第一发明人。"),
        ],
        photo_seed=8,
    )


def luo_jiayi() -> Person:
    """Young site engineer: one study and one work row, no results, 六/七 empty, 八 left blank."""
    return Person(
        slug="luo_jiayi", recommender="衡阳市土木建筑学会", name="罗嘉怡",
        employer="衡阳市城建工程有限公司", domain="建筑、能源与化工领域",
        subdomain="土木、水利与建筑工程", classified=False, secret_level="无", filled_date="2025-04-10",
        gender="女", birth_date="1995-05-20", ethnicity="汉族", nationality="中国",
        political_status="群众", education="大学本科", degree="学士", admin_level=None,
        title="工程师", discipline_1="土木工程", discipline_2="结构工程",
        id_type="居民身份证", id_number=make_id_number("430422", "1995-05-20", "女", 640),
        employer_and_position="衡阳市城建工程有限公司项目总工",
        employer_region="湖南省衡阳市蒸湘区", employer_nature="国有企业",
        office_phone="0734-8161043", mobile="13637349158", email="luojiayi95@163.com",
        address="湖南省衡阳市蒸湘区船山大道89号", postcode="421001",
        study=[study("2013-09", "2017-06", "长沙理工大学土木工程学院", "土木工程", "学士")],
        work=[work("2017-07", None, "衡阳市城建工程有限公司", "技术员、项目总工/工程师")],
        achievements=["参与衡阳东洲湘江大桥引桥施工，负责大体积混凝土温控方案，未出现有害裂缝。"],
        photo_seed=None,
    )


def jiang_chengye() -> Person:
    """Transformers: 其他 → 电力装备工程, results at seq 2 and 4, provincial-level award missing."""
    return Person(
        slug="jiang_chengye", recommender="衡阳高新区科协", name="蒋承业",
        employer="特变电工衡阳变压器有限公司", domain="装备制造领域", subdomain="电力装备工程",
        classified=False, secret_level="无", filled_date="2025-04-01",
        gender="男", birth_date="1980-10-08", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="大学本科", degree="硕士", admin_level="无",
        title="高级工程师", discipline_1="电气工程", discipline_2="高电压与绝缘技术",
        id_type="居民身份证", id_number=make_id_number("430423", "1980-10-08", "男", 346),
        employer_and_position="特变电工衡阳变压器有限公司 设计部副部长",
        employer_region="湖南省衡阳市高新技术产业开发区", employer_nature="民营企业",
        office_phone="0734-8257713", mobile="13786403572", email="jiangcy@tbea-hy.cn",
        address="湖南省衡阳市高新区白沙洲工业园区发展路1号", postcode="421007",
        study=[
            study("1999-09", "2003-07", "西安交通大学电气工程学院", "电气工程及其自动化", "学士"),
            study("2009-09", "2012-06", "湖南大学电气与信息工程学院（在职）", "电气工程", "工程硕士"),
        ],
        work=[
            work("2003-07", "2008-12", "特变电工衡阳变压器有限公司设计部", "设计员/助理工程师"),
            work("2009-01", "2014-12", "特变电工衡阳变压器有限公司设计部", "主任设计师/工程师"),
            work("2015-01", "2019-12", "特变电工衡阳变压器有限公司设计部", "室主任/高级工程师"),
            work("2020-01", None, "特变电工衡阳变压器有限公司设计部", "副部长/高级工程师"),
        ],
        achievements=[
            "主持±800千伏特高压换流变压器电磁与绝缘设计，产品一次通过型式试验，用于多条特高压直流工程。",
            "牵头完成大型变压器降噪设计方法研究，整机噪声下降8分贝。",
        ],
        results=[
            result("2", CAT_EQUIPMENT, "±800千伏特高压换流变压器", "主任设计师",
                   "一次通过型式试验，用于3条特高压直流工程。", "负责电磁计算与绝缘结构设计。"),
            result("4", CAT_INVENTION, "大型电力变压器低噪声设计方法", "项目负责人",
                   "整机噪声下降8分贝，已用于城市变电站。", "提出降噪结构。"),
        ],
        organizations=[org("2020-10", None, "中国电工技术学会变压器专委会", "委员")],
        ip=[
            ip("1", "一种换流变压器阀侧出线装置（ZL201810927741.2）", "2020", "2/7", "特高压工程应用。", "结构设计。"),
            ip("2", "一种变压器低噪声夹件结构（ZL202020913356.8）", "2021", "1/4", "批量应用。", "提出方案。"),
            ip("3", "电力变压器 第10部分：声级测定（GB/T 1094.10-2022）", "2022", "9/20", "国家标准。", "参与起草。"),
        ],
        awards=[award("1", "2021.12", "中国机械工业科学技术奖", "二等奖（第4）", "负责绝缘设计。")],
        photo_seed=10,
    )


def peng_huilin() -> Person:
    """Pharma: 苗族, 农工党, 外资企业, a result whose category is not one of the four."""
    return Person(
        slug="peng_huilin", recommender="衡阳市药学会", name="彭慧琳",
        employer="衡阳柏瑞康药业有限公司", domain="农医与环境领域", subdomain="卫生医药工程",
        classified=False, secret_level="无", filled_date="2025-04-08",
        gender="女", birth_date="1987-04-17", ethnicity="苗族", nationality="中国",
        political_status="农工党党员", education="研究生", degree="硕士", admin_level="无",
        title="高级工程师", discipline_1="药学", discipline_2="药物分析学",
        id_type="居民身份证", id_number=make_id_number("430424", "1987-04-17", "女", 19),
        employer_and_position="衡阳柏瑞康药业有限公司质量总监",
        employer_region="湖南省衡阳市衡山县", employer_nature="外资企业",
        office_phone="0734-5821166", mobile="13170348426", email="penghl@brk-pharma.com",
        address="湖南省衡阳市衡山县开云镇工业园区医药路2号", postcode="421300",
        study=[
            study("2005-09", "2009-06", "中国药科大学药学院", "药学", "学士"),
            study("2009-09", "2012-06", "中南大学湘雅药学院", "药物分析学", "硕士"),
        ],
        work=[
            work("2012-07", "2016-06", "衡阳柏瑞康药业有限公司质量部", "QC主管/助理工程师"),
            work("2016-07", "2020-12", "衡阳柏瑞康药业有限公司质量部", "经理/工程师"),
            work("2021-01", None, "衡阳柏瑞康药业有限公司", "质量总监/高级工程师"),
        ],
        achievements=[
            "建立注射剂全生命周期质量控制体系，公司两个品种通过仿制药质量和疗效一致性评价。",
        ],
        results=[
            result("1", "重大技术改造", "无菌注射剂智能化生产线改造", "质量负责人",
                   "产品无菌保证水平提高，年产能达到1.2亿支。", "建立在线质量监测方法。"),
        ],
        organizations=[org("2021-06", None, "衡阳市药学会", "理事")],
        ip=[
            ip("1", "一种注射用头孢类药物有关物质检测方法（ZL201910764521.3）", "2021", "1/5", "用于放行检验。", "建立方法。"),
            ip("2", "一种冻干粉针剂水分在线检测装置（ZL202120331874.1）", "2022", "2/5", "产线应用。", "参与设计。"),
        ],
        awards=[award("1", "2022年12月", "湖南省医药科技进步奖", "二等奖（第1）", "主持质量研究。")],
        photo_seed=11,
    )


def yan_weidong() -> Person:
    """Water works: born 1969, 教授级高级工程师, six work rows, four organisations, no photo."""
    return Person(
        slug="yan_weidong", recommender="衡阳市环境科学学会", name="颜卫东",
        employer="衡阳市排水有限公司", domain="农医与环境领域", subdomain="环境与轻纺工程",
        classified=False, secret_level="无", filled_date="2025-03-31",
        gender="男", birth_date="1969-08-25", ethnicity="汉族", nationality="中国",
        political_status="中共党员", education="大学本科", degree="学士", admin_level="无",
        title="教授级高级工程师", discipline_1="环境科学与工程", discipline_2="环境工程",
        id_type="居民身份证", id_number=make_id_number("430482", "1969-08-25", "男", 512),
        employer_and_position="衡阳市排水有限公司总工程师",
        employer_region="湖南省衡阳市雁峰区", employer_nature="国有企业",
        office_phone="0734-8125590", mobile="13907349917", email="yanwd1969@126.com",
        address="湖南省衡阳市雁峰区先锋路47号", postcode="421001",
        study=[
            study("1987-09", "1990-07", "湖南城建高等专科学校", "给水排水工程", ""),
            study("2003-03", "2006-01", "湖南大学（函授）", "环境工程", "学士"),
        ],
        work=[
            work("1990-07", "1995-12", "衡阳市自来水公司", "技术员"),
            work("1996-01", "2001-12", "衡阳市自来水公司水质科", "副科长/助理工程师"),
            work("2002-01", "2007-06", "衡阳市城市排水管理处", "技术科长/工程师"),
            work("2007-07", "2013-12", "衡阳市排水有限公司", "生产技术部经理/高级工程师"),
            work("2014-01", "2018-12", "衡阳市排水有限公司", "副总工程师/高级工程师"),
            work("2019-01", None, "衡阳市排水有限公司", "总工程师/教授级高级工程师"),
        ],
        achievements=[
            "主持衡阳市江东污水处理厂提标改造，出水稳定达到一级A标准，年削减COD约4500吨。",
            "牵头建设城市排水管网智慧监测平台，实现易涝点实时预警，主城区内涝点由37处减少到5处。",
        ],
        results=[
            result("1", CAT_PROJECT, "衡阳市江东污水处理厂提标改造工程", "技术总负责",
                   "出水稳定达到一级A标准。", "提出工艺改造方案并组织实施。"),
            result("4", CAT_INVENTION, "城市排水管网智慧监测平台", "项目负责人",
                   "主城区内涝点由37处减少到5处。", "主持平台总体设计。", "省级示范项目"),
        ],
        organizations=[
            org("2010-05", "2015-04", "衡阳市环境科学学会", "理事"),
            org("2015-05", None, "衡阳市环境科学学会", "副理事长"),
            org("2016-09", None, "湖南省城镇供水排水协会", "专家"),
            org("2019-03", None, "衡阳市政府采购评审专家库", "评审专家"),
        ],
        ip=[ip("1", "一种污水处理厂深度脱氮装置（ZL201820662845.0）", "2019", "1/5", "江东厂应用。", "提出方案。")],
        awards=[
            award("1", "2016年", "湖南省建设科技进步奖", "二等奖（第1）", "项目总负责。"),
            award("2", "2020年", "中国市政工程协会科学技术奖", "三等奖（第2）", "负责工艺设计。"),
        ],
        photo_seed=None,
    )


def yang_shaohua() -> Person:
    """Young metallurgist: 中共预备党员, study row without degree, 无相关奖励, no organisations."""
    return Person(
        slug="yang_shaohua", recommender="衡阳市金属学会", name="阳少华",
        employer="衡阳衡钢特种管材有限公司", domain="建筑、能源与化工领域",
        subdomain="化工、冶金与材料工程", classified=False, secret_level="无", filled_date="2025-04-09",
        gender="男", birth_date="1991-01-09", ethnicity="汉族", nationality="中国",
        political_status="中共预备党员", education="大学本科", degree="学士", admin_level="无",
        title="工程师", discipline_1="材料科学与工程", discipline_2="材料加工工程",
        id_type="居民身份证", id_number=make_id_number("430424", "1991-01-09", "男", 733),
        employer_and_position="衡阳衡钢特种管材有限公司炼钢厂技术主管",
        employer_region="湖南省衡阳市珠晖区", employer_nature="国有企业",
        office_phone="0734-8879021", mobile="13873420658", email="yangsh91@163.com",
        address="湖南省衡阳市珠晖区茶山坳镇冶金路5号", postcode="421001",
        study=[study("2009-09", "2013-06", "武汉科技大学材料与冶金学院", "冶金工程", "学士")],
        work=[
            work("2013-07", "2017-12", "衡阳衡钢特种管材有限公司炼钢厂", "技术员/助理工程师"),
            work("2018-01", "2021-12", "衡阳衡钢特种管材有限公司炼钢厂", "工艺工程师/工程师"),
            work("2022-01", None, "衡阳衡钢特种管材有限公司炼钢厂", "技术主管/工程师"),
        ],
        achievements=[
            "负责电炉—精炼—连铸工艺优化，开发高洁净度管坯钢冶炼技术，夹杂物评级合格率由95%提高到99.5%。",
            "",
            "牵头完成连铸结晶器电磁搅拌参数优化，管坯中心疏松缺陷下降60%。",
        ],
        results=[
            result("3", CAT_CHOKE, "高洁净度油井管用管坯钢冶炼技术", "主要完成人",
                   "替代进口管坯，用于高钢级油井管生产。", "负责精炼工艺设计与试验。"),
        ],
        ip=[ip("1", "一种高洁净度管坯钢的冶炼方法（ZL202111203369.7）", "2023", "3/7", "已批量生产。", "精炼工艺试验。")],
        awards_none_declared=True,
        photo_seed=13,
    )


def mai_jiajun() -> Person:
    """Hong Kong engineer working in Hengyang: 港澳居民来往内地通行证, no 行政级别, no organisations."""
    return Person(
        slug="mai_jiajun", recommender="衡阳市电子学会", name="麦嘉俊",
        employer="衡阳湘港智能装备有限公司", domain="信息电子领域", subdomain="信息与电子工程",
        classified=False, secret_level="无", filled_date="2025-04-07",
        gender="男", birth_date="1984-10-16", ethnicity="汉族", nationality="中国",
        political_status="群众", education="研究生", degree="工学硕士", admin_level=None,
        title="高级工程师", discipline_1="信息与通信工程", discipline_2="通信与信息系统",
        id_type="港澳居民来往内地通行证", id_number="H60321875",
        employer_and_position="衡阳湘港智能装备有限公司技术总监",
        employer_region="湖南省衡阳市蒸湘区", employer_nature="外资企业",
        office_phone="0734-8316672", mobile="13467345509", email="kelvin.mai@xg-smart.com",
        address="湖南省衡阳市蒸湘区长丰大道33号湘港产业园2栋", postcode="421001",
        study=[
            study("2002-09", "2006-06", "香港理工大学电子及资讯工程学系", "电子及资讯工程", "工学学士"),
            study("2006-09", "2008-06", "香港科技大学电子及计算机工程学系", "电子工程", "工学硕士"),
        ],
        work=[
            work("2008-07", "2016-08", "香港某电子科技有限公司", "工程师、高级工程师"),
            work("2016-09", "2019-12", "衡阳湘港智能装备有限公司", "研发经理"),
            work("2020-01", None, "衡阳湘港智能装备有限公司", "技术总监/高级工程师"),
        ],
        achievements=[
            "2016年来衡工作，主持工业物联网网关与边缘控制器研发，产品在本地30余家制造企业应用。",
            "牵头建设湘港工业互联网标识解析节点，接入设备1.2万台。",
        ],
        results=[
            result("2", CAT_EQUIPMENT, "工业物联网边缘控制器", "项目负责人",
                   "在30余家企业应用，设备联网率提升到85%。", "负责硬件架构与通信协议栈设计。"),
        ],
        ip=[
            ip("1", "一种多协议工业网关（ZL202011367205.8）", "2022", "1/4", "批量生产。", "总体设计。"),
            ip("2", "边缘控制器管理软件V3.0（2021SR1187356）", "2021", "1/2", "随产品销售。", "架构设计。"),
        ],
        awards=[award("1", "2023年12月", "湖南省科学技术进步奖", "三等奖（第1）", "项目负责人。")],
        photo_seed=14,
    )


PEOPLE = [
    zhou_liheng, ouyang_xiaolan, tan_zhiyuan, liao_xuemei, he_zhenyu, liu_xiangning,
    deng_ruoxi, cao_wenbo, luo_jiayi, jiang_chengye, peng_huilin, yan_weidong, yang_shaohua,
    mai_jiajun,
]
