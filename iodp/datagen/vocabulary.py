"""The words generated records are made of: organization names (English and Chinese in step), places, posts.

Every list is a tuple in a fixed order, so the same seed draws the same names."""

#: (English, Chinese, nature) of the region an organization's name starts with.
REGIONS = (
    ("International", "国际", "global"), ("World", "世界", "global"), ("Global", "全球", "global"),
    ("Asian", "亚洲", "regional"), ("Asia-Pacific", "亚太", "regional"), ("European", "欧洲", "regional"),
    ("African", "非洲", "regional"), ("Latin American", "拉丁美洲", "regional"), ("Arab", "阿拉伯", "regional"),
    ("Nordic", "北欧", "regional"), ("Pan-American", "泛美", "regional"), ("Mediterranean", "地中海", "regional"),
    ("Ibero-American", "伊比利亚美洲", "regional"), ("Commonwealth", "英联邦", "regional"),
    ("Pacific", "太平洋", "regional"), ("Eurasian", "欧亚", "regional"),
)
#: (English, Chinese) of what kind of body it is.
KINDS = (
    ("Union", "联合会"), ("Federation", "联盟"), ("Association", "协会"), ("Society", "学会"),
    ("Council", "理事会"), ("Committee", "委员会"), ("Commission", "专门委员会"), ("Academy", "科学院"),
    ("Network", "网络"), ("Alliance", "同盟"), ("Institute", "研究院"), ("Organization", "组织"),
    ("Consortium", "联合体"), ("Foundation", "基金会"), ("Forum", "论坛"), ("Congress", "大会"),
)
#: (English, Chinese) qualifier of the field ("" for none).
QUALIFIERS = (
    ("", ""), ("Pure and Applied", "纯粹与应用"), ("Applied", "应用"), ("Theoretical", "理论"),
    ("Experimental", "实验"), ("Computational", "计算"), ("Industrial", "工业"), ("Clinical", "临床"),
    ("Environmental", "环境"), ("Comparative", "比较"), ("Medical", "医学"), ("Young Scientists in", "青年"),
)
#: (English, Chinese, GB/T 13745 discipline code) of the field the organization works in.
FIELDS = (
    ("Mathematics", "数学", "110"), ("Statistics", "统计", "910"), ("Systems Science", "系统科学", "120"),
    ("Mechanics", "力学", "130"), ("Physics", "物理", "140"), ("Optics", "光学", "140"), ("Acoustics", "声学", "140"),
    ("Chemistry", "化学", "150"), ("Crystallography", "晶体学", "150"), ("Astronomy", "天文", "160"),
    ("Geodesy", "大地测量", "170"), ("Geophysics", "地球物理", "170"), ("Geology", "地质", "170"),
    ("Oceanography", "海洋学", "170"), ("Meteorology", "气象", "170"), ("Hydrology", "水文", "170"),
    ("Geography", "地理", "170"), ("Soil Science", "土壤科学", "210"), ("Biology", "生物学", "180"),
    ("Ecology", "生态学", "180"), ("Microbiology", "微生物学", "180"), ("Biochemistry", "生物化学", "180"),
    ("Genetics", "遗传学", "180"), ("Neuroscience", "神经科学", "310"), ("Psychology", "心理学", "190"),
    ("Agriculture", "农业", "210"), ("Forestry", "林业", "220"), ("Veterinary Science", "兽医", "230"),
    ("Fisheries", "渔业", "240"), ("Physiology", "生理学", "310"), ("Immunology", "免疫学", "310"),
    ("Pathology", "病理学", "310"), ("Surgery", "外科", "320"), ("Cardiology", "心脏病学", "320"),
    ("Oncology", "肿瘤学", "320"), ("Public Health", "公共卫生", "330"), ("Nutrition", "营养", "330"),
    ("Pharmacology", "药理学", "350"), ("Traditional Medicine", "传统医药", "360"),
    ("Surveying and Mapping", "测绘", "420"), ("Photogrammetry", "摄影测量", "420"),
    ("Remote Sensing", "遥感", "420"), ("Materials", "材料", "430"), ("Mining", "矿业", "440"),
    ("Metallurgy", "冶金", "450"), ("Mechanical Engineering", "机械工程", "460"),
    ("Electrical Engineering", "电气工程", "470"), ("Energy", "能源", "480"), ("Nuclear Energy", "核能", "490"),
    ("Radio Science", "无线电科学", "510"), ("Telecommunications", "电信", "510"), ("Computing", "计算机", "520"),
    ("Information Processing", "信息处理", "520"), ("Automatic Control", "自动控制", "413"),
    ("Chemical Engineering", "化学工程", "530"), ("Textiles", "纺织", "540"), ("Food Science", "食品科学", "550"),
    ("Civil Engineering", "土木工程", "560"), ("Architecture", "建筑", "560"), ("Water Resources", "水资源", "570"),
    ("Transport", "交通运输", "580"), ("Aeronautics", "航空", "590"), ("Astronautics", "宇航", "590"),
    ("Environment", "环境科学", "610"), ("Safety", "安全", "620"), ("Management", "管理", "630"),
    ("Linguistics", "语言学", "740"), ("History of Science", "科学史", "770"), ("Archaeology", "考古", "780"),
    ("Economics", "经济学", "790"), ("Law", "法学", "820"), ("Sociology", "社会学", "840"),
    ("Education", "教育", "880"), ("Sports Science", "体育科学", "890"), ("Library Science", "图书馆学", "870"),
)
#: where organizations have their headquarters, with a weight and cities.
HQ_COUNTRIES = (
    ("FR", 10, ("Paris", "Strasbourg", "Lyon")), ("US", 10, ("Washington", "New York", "Boston", "Chicago")),
    ("CH", 9, ("Geneva", "Zurich", "Bern", "Lausanne")), ("GB", 8, ("London", "Cambridge", "Oxford")),
    ("BE", 7, ("Brussels", "Leuven")), ("NL", 5, ("The Hague", "Amsterdam", "Delft")),
    ("DE", 5, ("Berlin", "Bonn", "Munich", "Frankfurt")), ("IT", 4, ("Rome", "Trieste", "Milan")),
    ("AT", 3, ("Vienna",)), ("CA", 3, ("Ottawa", "Montreal", "Toronto")), ("CN", 3, ("北京", "上海", "杭州")),
    ("JP", 2, ("Tokyo", "Kyoto")), ("SE", 2, ("Stockholm",)), ("DK", 2, ("Copenhagen",)),
    ("ES", 2, ("Madrid", "Barcelona")), ("AU", 2, ("Canberra", "Sydney")), ("SG", 1, ("Singapore",)),
    ("KE", 1, ("Nairobi",)), ("ZA", 1, ("Pretoria", "Cape Town")), ("BR", 1, ("Brasília", "Rio de Janeiro")),
    ("IN", 1, ("New Delhi", "Bangalore")), ("KR", 1, ("Seoul",)), ("NO", 1, ("Oslo",)), ("FI", 1, ("Helsinki",)),
)
LANGUAGES_OF_ORGANIZATIONS = ("英语", "英语、法语", "英语、法语、西班牙语", "英语、中文", "英语、法语、阿拉伯语")

#: (role, level, post title) of a post in an organization.
POSTS = (
    ("president", "leadership", "主席"), ("vice_president", "leadership", "副主席"),
    ("past_president", "leadership", "前主席"), ("president_elect", "leadership", "候任主席"),
    ("executive_member", "leadership", "执行委员"), ("secretary_general", "secretariat", "秘书长"),
    ("member", "mid_level", "专业委员会委员"), ("member", "mid_level", "工作组成员"),
    ("member", "mid_level", "专业委员会主任"), ("other", "secretariat", "秘书处项目官员"),
    ("other", "mid_level", "分会联络人"),
)
POST_WEIGHTS = (2, 4, 1, 1, 8, 1, 30, 20, 6, 3, 4)

JOB_TITLES = ("教授", "研究员", "副教授", "副研究员", "主任", "副主任", "院长", "副院长", "总工程师", "处长",
              "所长", "首席科学家")
PROFESSIONAL_TITLES = ("正高级", "副高级", "中级", "教授级高级工程师", "研究员", "教授")
DEPARTMENTS = ("国际合作处", "科研处", "学院", "重点实验室", "研究中心", "外事办公室", "总工程师办公室", "工程中心")
DEGREES = (("学士", "本科"), ("硕士", "研究生"), ("博士", "研究生"), ("博士后", ""))
STUDY_ABROAD = ("US", "GB", "DE", "FR", "JP", "CA", "AU", "CH", "NL", "SE")
UNIVERSITIES = ("北京大学", "清华大学", "浙江大学", "复旦大学", "上海交通大学", "南京大学", "武汉大学", "中山大学",
                "四川大学", "哈尔滨工业大学", "西安交通大学", "中国科学技术大学", "同济大学", "南开大学", "厦门大学",
                "山东大学", "吉林大学", "华中科技大学", "东南大学", "天津大学")
FOREIGN_UNIVERSITIES = ("University of Cambridge", "Massachusetts Institute of Technology", "ETH Zürich",
                        "University of Tokyo", "Sorbonne Université", "Technische Universität München",
                        "University of Toronto", "Stanford University", "Imperial College London",
                        "University of Sydney")
CONFERENCE_KINDS = ("大会", "学术年会", "国际研讨会", "执委会会议", "青年科学家论坛", "代表大会")
CHINA_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "青岛", "厦门", "昆明")
REASONS = ("加强与国际同行的交流合作，参与国际标准制定。", "推动我国科学家在国际组织任职。",
           "参与国际大科学计划，提升学科国际影响力。", "承办国际会议，扩大学术影响。")
RETURN_REASONS = ("请补充英文名称和成立年份。", "信息与官网不一致，请核对。", "请补充外语证书信息。",
                  "任职起止时间有误，请核对。", "请补充计划加入的理由。")
