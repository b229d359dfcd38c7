#!/usr/bin/env python3
"""Generate assets/demo-fair.json, the demo fair embedded in jobfair-kiosk.

Deterministic: Python 3.11 standard library only, fixed seed; running it twice
writes the same bytes. The format is the one read by src/domain/fair.rs
(`FairFile`, format 1). Everything is synthetic: the employers are invented
companies of Yongkang, Zhejiang ("the hardware capital"); the fair is a
return-to-work fair in a village of Congjiang county, Qiandongnan, Guizhou.

Usage: python3 assets/make-demo-fair.py   (writes next to this script)
"""

import json
import random
import re
from pathlib import Path

SEED = 20270215
OUT = Path(__file__).with_name("demo-fair.json")

FAIR = {
    "id": "qdn-congjiang-2027-02-15",
    "name": "高增乡2027年春风行动返岗招聘会",
    "name_en": "Gaozeng Return-to-Work Job Fair 2027",
    "province": "贵州省",
    "county": "从江县",
    "township": "高增乡",
    "village": "小黄村",
    "date": "2027-02-15",  # 正月初十, nine days after Spring Festival (6 Feb 2027)
    "venue": "小黄村文化广场",
}

# The fair's county first, then two neighbours in Qiandongnan prefecture.
PLACES = {
    "从江县": {
        "高增乡": "小黄 高增 占里 岜扒 美德 银平 建华",
        "丙妹镇": "岜沙 大塘 孔明 平正 宰门 谷洞",
        "洛香镇": "洛香 新安 塘洞 四联 登晒",
        "往洞镇": "往洞 增冲 朝利 则里 德桥 高传",
        "贯洞镇": "贯洞 龙图 干团 宰章 腊全",
        "加榜乡": "加榜 加页 党扭 加车 平引",
    },
    "榕江县": {
        "古州镇": "车民 章鲁 口寨 妹寨 月寨 丰乐",
        "栽麻镇": "大利 宰荡 丰登 宰麻 归柳",
        "忠诚镇": "忠诚 宰告 高排 溪口",
        "乐里镇": "乐里 本里 保里 大瑞",
        "三江水族乡": "三江 怎贝 乌吉 高岩",
        "平江镇": "平江 滚仲 巨洞 高同",
    },
    "黎平县": {
        "肇兴镇": "肇兴 堂安 厦格 纪堂 登江",
        "尚重镇": "尚重 西迷 盖宝 朱冠 洋洞",
        "岩洞镇": "岩洞 述洞 竹坪 四寨 宰拱",
        "水口镇": "水口 南江 宰洋 花柳",
        "洪州镇": "洪州 九江 平架 六爽 赏方",
        "茅贡镇": "茅贡 地扪 登岑 高近 樟洞",
    },
}

CITY = "浙江永康"
CITY_EN = "Yongkang, Zhejiang"

# English names of the places above and of the towns of Yongkang (the work places), as
# "中文=English" separated by | (pinyin, with the administrative word translated).
PLACES_EN = dict(item.split("=") for item in """
从江县=Congjiang County|高增乡=Gaozeng Township|小黄村=Xiaohuang Village|高增村=Gaozeng Village
占里村=Zhanli Village|岜扒村=Bapa Village|美德村=Meide Village|银平村=Yinping Village|建华村=Jianhua Village
丙妹镇=Bingmei Town|岜沙村=Basha Village|大塘村=Datang Village|孔明村=Kongming Village|平正村=Pingzheng Village
宰门村=Zaimen Village|谷洞村=Gudong Village|洛香镇=Luoxiang Town|洛香村=Luoxiang Village|新安村=Xin'an Village
塘洞村=Tangdong Village|四联村=Silian Village|登晒村=Dengshai Village|往洞镇=Wangdong Town|往洞村=Wangdong Village
增冲村=Zengchong Village|朝利村=Chaoli Village|则里村=Zeli Village|德桥村=Deqiao Village|高传村=Gaochuan Village
贯洞镇=Guandong Town|贯洞村=Guandong Village|龙图村=Longtu Village|干团村=Gantuan Village|宰章村=Zaizhang Village
腊全村=Laquan Village|加榜乡=Jiabang Township|加榜村=Jiabang Village|加页村=Jiaye Village|党扭村=Dangniu Village
加车村=Jiache Village|平引村=Pingyin Village|榕江县=Rongjiang County|古州镇=Guzhou Town|车民村=Chemin Village
章鲁村=Zhanglu Village|口寨村=Kouzhai Village|妹寨村=Meizhai Village|月寨村=Yuezhai Village|丰乐村=Fengle Village
栽麻镇=Zaima Town|大利村=Dali Village|宰荡村=Zaidang Village|丰登村=Fengdeng Village|宰麻村=Zaima Village
归柳村=Guiliu Village|忠诚镇=Zhongcheng Town|忠诚村=Zhongcheng Village|宰告村=Zaigao Village|高排村=Gaopai Village
溪口村=Xikou Village|乐里镇=Leli Town|乐里村=Leli Village|本里村=Benli Village|保里村=Baoli Village
大瑞村=Darui Village|三江水族乡=Sanjiang Shui Ethnic Township|三江村=Sanjiang Village|怎贝村=Zenbei Village
乌吉村=Wuji Village|高岩村=Gaoyan Village|平江镇=Pingjiang Town|平江村=Pingjiang Village|滚仲村=Gunzhong Village
巨洞村=Judong Village|高同村=Gaotong Village|黎平县=Liping County|肇兴镇=Zhaoxing Town|肇兴村=Zhaoxing Village
堂安村=Tang'an Village|厦格村=Xiage Village|纪堂村=Jitang Village|登江村=Dengjiang Village|尚重镇=Shangzhong Town
尚重村=Shangzhong Village|西迷村=Ximi Village|盖宝村=Gaibao Village|朱冠村=Zhuguan Village|洋洞村=Yangdong Village
岩洞镇=Yandong Town|岩洞村=Yandong Village|述洞村=Shudong Village|竹坪村=Zhuping Village|四寨村=Sizhai Village
宰拱村=Zaigong Village|水口镇=Shuikou Town|水口村=Shuikou Village|南江村=Nanjiang Village|宰洋村=Zaiyang Village
花柳村=Hualiu Village|洪州镇=Hongzhou Town|洪州村=Hongzhou Village|九江村=Jiujiang Village|平架村=Pingjia Village
六爽村=Liushuang Village|赏方村=Shangfang Village|茅贡镇=Maogong Town|茅贡村=Maogong Village|地扪村=Dimen Village
登岑村=Dengcen Village|高近村=Gaojin Village|樟洞村=Zhangdong Village|东城街道=Dongcheng Subdistrict
前仓镇=Qiancang Town|古山镇=Gushan Town|唐先镇=Tangxian Town|方岩镇=Fangyan Town|江南街道=Jiangnan Subdistrict
石柱镇=Shizhu Town|经济开发区=Economic Development Zone|舟山镇=Zhoushan Town|芝英镇=Zhiying Town|花街镇=Huajie Town
西城街道=Xicheng Subdistrict|西溪镇=Xixi Town|象珠镇=Xiangzhu Town|龙山镇=Longshan Town
""".replace("\n", "|").strip("|").split("|"))

# Kinds of employer: industry, name word (zh, en), what they make (zh, en),
# and the roles they hire for most, each with a weight.
KINDS = {
    "cup": ("不锈钢日用品", "杯业", "Cup", "不锈钢保温杯", "stainless vacuum flasks",
            {"stamping": 3, "welding": 3, "polish": 3, "painting": 2, "quality": 2, "packaging": 2, "assembly": 1}),
    "tool": ("电动工具", "电动工具", "Power Tools", "电钻、角磨机等电动工具", "drills, angle grinders and other power tools",
             {"injection": 3, "assembly": 4, "diecast": 1, "cnc": 2, "quality": 2, "packaging": 1}),
    "door": ("门业", "门业", "Door", "防盗门和室内钢木门", "security doors and steel-wood doors",
             {"stamping": 3, "welding": 3, "painting": 3, "assembly": 2, "packaging": 2, "warehouse": 1}),
    "scooter": ("休闲车辆", "车业", "Scooter", "电动滑板车和平衡车", "e-scooters and self-balancing boards",
                {"welding": 3, "injection": 2, "assembly": 4, "painting": 2, "quality": 2}),
    "cookware": ("厨具炊具", "炊具", "Cookware", "不锈钢锅具和厨具", "stainless pots and kitchenware",
                 {"stamping": 3, "polish": 3, "welding": 1, "packaging": 2, "quality": 2}),
    "garden": ("园林机械", "园林机械", "Garden Tools", "割草机、绿篱机等园林工具", "lawn mowers and hedge trimmers",
               {"diecast": 2, "cnc": 3, "assembly": 3, "injection": 2}),
    "auto": ("汽摩配件", "汽车部件", "Auto Parts", "汽车和摩托车零部件", "car and motorcycle parts",
             {"diecast": 2, "cnc": 4, "quality": 3, "maintenance": 1}),
    "lock": ("锁具", "锁业", "Lock", "门锁和智能锁", "door locks and smart locks",
             {"diecast": 2, "cnc": 3, "assembly": 3, "quality": 2}),
    "scale": ("衡器", "衡器", "Scales", "电子秤和计价秤", "electronic and price-computing scales",
              {"injection": 3, "assembly": 4, "quality": 2, "packaging": 2}),
    "fitness": ("健身器材", "健身器材", "Fitness", "跑步机和家用健身器材", "treadmills and home gym equipment",
                {"welding": 4, "painting": 3, "assembly": 3, "packaging": 2}),
    "handtool": ("五金工具", "五金工具", "Hand Tools", "扳手、钳子等手动工具", "spanners, pliers and other hand tools",
                 {"forge": 2, "cnc": 2, "stamping": 2, "quality": 2, "packaging": 2, "painting": 1}),
    "mould": ("模具制造", "模具", "Mould", "冲压模具和注塑模具", "stamping dies and injection moulds",
              {"cnc": 4, "maintenance": 3, "quality": 1}),
    "diecasting": ("铝合金压铸", "压铸", "Die-Casting", "铝合金压铸件", "aluminium die-castings",
                   {"diecast": 4, "cnc": 3, "maintenance": 1, "quality": 2}),
    "logistics": ("物流仓储", "物流", "Logistics", "五金产品仓储和配送", "storage and delivery of hardware goods",
                  {"warehouse": 4, "driver": 4, "packaging": 1}),
    "motor": ("电机", "电机", "Motor", "小型电机和马达", "small electric motors",
              {"assembly": 3, "cnc": 2, "quality": 2, "stamping": 1, "electrician": 1}),
    "appliance": ("小家电", "电器", "Appliance", "电饭煲、榨汁机等小家电", "rice cookers, juicers and small appliances",
                  {"injection": 3, "assembly": 4, "quality": 2, "packaging": 2}),
    "metal": ("金属材料", "金属材料", "Metals", "不锈钢板材分条和配送", "slitting and delivery of stainless steel sheet",
              {"warehouse": 3, "driver": 2, "stamping": 2}),
    "coating": ("表面处理", "表面处理", "Coating", "五金件静电喷粉加工", "powder coating of hardware parts",
                {"painting": 4, "packaging": 2, "quality": 2}),
    "service": ("后勤服务", "物业服务", "Property", "工业园区保洁、保安和食堂服务", "cleaning, security and canteens for industrial parks",
                {"cleaning": 4, "security": 4, "canteen": 4}),
}

# Kinds whose English description says "Provides" rather than "Makes".
SERVICES = {"logistics", "metal", "coating", "service"}

# Roles any factory may also hire for.
SUPPORT = {"electrician": 2, "maintenance": 2, "canteen": 2, "warehouse": 2, "cleaning": 1, "security": 1, "driver": 1}

# (brand, pinyin, kind, town). Invented brands; any likeness to a real firm is chance.
EMPLOYERS = """
锐诚 Ruicheng cup 江南街道|嘉钰 Jiayu cup 古山镇|骏恒 Junheng cup 经济开发区|铭拓 Mingtuo cup 芝英镇
沣锦 Fengjin cup 东城街道|澜益 Lanyi cup 象珠镇|拓川 Tuochuan tool 经济开发区|冠翔 Guanxiang tool 西城街道
晟博 Shengbo tool 石柱镇|瑞岭 Ruiling tool 经济开发区|崇鑫 Chongxin tool 东城街道|昊钧 Haojun door 芝英镇
泓沛 Hongpei door 古山镇|琨越 Kunyue door 唐先镇|曜丰 Yaofeng door 花街镇|卓匠 Zhuojiang door 石柱镇
鼎铄 Dingshuo scooter 经济开发区|凯骐 Kaiqi scooter 江南街道|煜森 Yusen scooter 前仓镇|朗捷 Langjie scooter 西城街道
菁睿 Jingrui cookware 古山镇|巍达 Weida cookware 龙山镇|汇铖 Huicheng cookware 西溪镇|璟泰 Jingtai cookware 芝英镇
启鸿 Qihong garden 经济开发区|柏川 Baichuan garden 石柱镇|峻岳 Junyue garden 象珠镇|涵宇 Hanyu auto 经济开发区
锦帆 Jinfan auto 江南街道|森铂 Senbo auto 前仓镇|麟翔 Linxiang lock 东城街道|博骋 Bocheng lock 芝英镇
淳锋 Chunfeng scale 西城街道|雅钢 Yagang scale 江南街道|骁峰 Xiaofeng fitness 经济开发区|德钜 Deju fitness 唐先镇
聚铭 Juming fitness 石柱镇|睿扬 Ruiyang handtool 方岩镇|亿钧 Yijun handtool 芝英镇|宸烨 Chenye handtool 舟山镇
坤锐 Kunrui mould 经济开发区|恺铭 Kaiming mould 东城街道|晨铸 Chenzhu diecasting 古山镇|铂川 Bochuan diecasting 象珠镇
品匠 Pinjiang diecasting 龙山镇|韬远 Taoyuan logistics 江南街道|耀钜 Yaoju logistics 经济开发区|钰航 Yuhang logistics 西城街道
隆熠 Longyi motor 经济开发区|优锻 Youduan motor 花街镇|鑫岳 Xinyue appliance 江南街道|晶格 Jingge appliance 经济开发区
丰驰 Fengchi appliance 前仓镇|程锦 Chengjin metal 西溪镇|翰铖 Hancheng coating 唐先镇|泽铠 Zekai coating 古山镇
佑安 Youan service 东城街道|恒铄 Hengshuo service 经济开发区
"""

FEATURES = [
    ("产品出口欧美", "exports to Europe and America"),
    ("厂区有宿舍和食堂", "dormitories and a canteen on site"),
    ("贵州老乡多", "many workers from Guizhou"),
    ("按月足额发薪", "wages paid in full every month"),
    ("自动化产线，车间整洁", "automated lines and clean workshops"),
    ("每年包车接送返岗", "hires coaches to bring workers back each year"),
    ("计件工资，多劳多得", "piece rates: the more you make, the more you earn"),
]

# Ages (min, max or None) by profile.
AGES = {
    "factory": [(18, 45), (18, 50), (18, 48), (20, 50), (18, None), (18, 55), (18, 45)],
    "skilled": [(20, 50), (22, 55), (20, None), (25, 50), (20, 55)],
    "older": [(25, 55), (30, 60), (35, 60), (20, 55), (30, None), (40, 62)],
    "driver": [(22, 55), (25, 55), (23, 50)],
}

TRAIN = ("无经验可培训", "No experience needed; training given")
NONE = ("", None)

# role: (trade, age profile, shifts, variants). A variant is
# (title, title_en, (skills, skills_en), (wage_min low, high), (spread low, high), (headcount low, high)).
ROLES = {
    "stamping": ("stamping", "factory", ["two_shifts", "day"], [
        ("冲压工", "Stamping operator", TRAIN, (5500, 6500), (1000, 2000), (5, 30)),
        ("冲床操作工", "Punch press operator", ("有冲床经验优先", "Press experience preferred"), (5800, 6800), (1000, 2000), (5, 25)),
        ("冲压学徒", "Stamping apprentice", TRAIN, (5000, 5600), (500, 1000), (3, 15)),
        ("冲压调模工", "Stamping die setter", ("会调模具，三年以上经验", "Sets dies; 3+ years' experience"), (8000, 9000), (1500, 2000), (1, 4)),
    ]),
    "welding": ("welding", "skilled", ["day", "two_shifts"], [
        ("氩弧焊工", "TIG welder", ("会氩弧焊，能看懂图纸", "TIG welding; reads drawings"), (7500, 8500), (1500, 2500), (2, 12)),
        ("二保焊工", "CO2 welder", ("熟练二氧化碳保护焊", "Skilled in CO2 shielded welding"), (7000, 8000), (1500, 2500), (2, 15)),
        ("激光焊操作工", "Laser welding operator", ("可培训，有经验优先", "Trainable; experience preferred"), (6500, 7500), (1000, 2000), (3, 15)),
        ("焊接学徒", "Welding apprentice", TRAIN, (5200, 6000), (500, 1000), (3, 10)),
        ("点焊工", "Spot welder", TRAIN, (5800, 6600), (1000, 1500), (4, 20)),
    ]),
    "assembly": ("assembly", "factory", ["day", "two_shifts"], [
        ("装配工", "Assembly worker", TRAIN, (5200, 6200), (1000, 1500), (10, 60)),
        ("流水线普工", "Production line worker", NONE, (5000, 6000), (1000, 1500), (20, 80)),
        ("组装普工", "Assembly line worker", ("手脚灵活，视力好", "Nimble hands, good eyesight"), (5000, 6000), (1000, 1500), (10, 50)),
        ("装配组长", "Assembly team leader", ("两年以上装配经验", "2+ years in assembly"), (7000, 8000), (1000, 2000), (1, 3)),
    ]),
    "injection": ("injection_moulding", "factory", ["two_shifts", "three_shifts"], [
        ("注塑操作工", "Injection moulding operator", TRAIN, (5500, 6300), (1000, 1500), (5, 30)),
        ("注塑普工", "Moulding shop worker", NONE, (5200, 6000), (1000, 1500), (10, 40)),
        ("注塑调机员", "Moulding machine setter", ("会调机换模，两年经验", "Sets machines, changes moulds; 2 years"), (8000, 9000), (1000, 2000), (1, 4)),
    ]),
    "cnc": ("cnc", "skilled", ["two_shifts", "day"], [
        ("数控车床操作工", "CNC lathe operator", ("会看图纸，可培训", "Reads drawings; trainable"), (6500, 7500), (1500, 2500), (3, 15)),
        ("加工中心操作工", "Machining centre operator", ("一年以上加工中心经验", "1+ year on machining centres"), (7000, 8000), (1500, 2500), (3, 12)),
        ("数控调机员", "CNC setter-programmer", ("会编程调机，三年经验", "Programs and sets up; 3 years"), (8500, 9000), (1500, 2000), (1, 4)),
        ("车床学徒", "Lathe apprentice", TRAIN, (5500, 6000), (500, 1000), (2, 8)),
    ]),
    "quality": ("quality_inspection", "factory", ["day", "two_shifts"], [
        ("品检员", "Quality inspector", ("初中以上文化，会用卡尺", "Junior secondary; uses calipers"), (5500, 6200), (1000, 1500), (2, 10)),
        ("质检员", "QC inspector", ("会看图纸，会用量具", "Reads drawings; uses gauges"), (6000, 6800), (1000, 1500), (1, 6)),
        ("全检普工", "Final inspection worker", ("视力好，细心", "Good eyesight; careful"), (5200, 5800), (500, 1000), (5, 20)),
        ("巡检员", "Patrol inspector", ("一年以上品检经验", "1+ year in quality control"), (6200, 7000), (1000, 1500), (1, 4)),
    ]),
    "warehouse": ("warehouse", "factory", ["day", "two_shifts"], [
        ("仓管员", "Storekeeper", ("会用电脑，初中以上", "Basic computer use; junior secondary"), (5500, 6300), (1000, 1500), (1, 3)),
        ("叉车工", "Forklift driver", ("持叉车证", "Holds a forklift licence"), (6500, 7500), (1000, 1500), (1, 5)),
        ("仓库搬运工", "Warehouse handler", ("身体健康，能吃苦", "Healthy and hard-working"), (5800, 6500), (1000, 1500), (3, 15)),
        ("物流分拣员", "Parcel sorter", TRAIN, (5300, 6000), (500, 1000), (5, 30)),
        ("发货员", "Shipping clerk", ("会用电脑", "Basic computer use"), (5500, 6200), (500, 1000), (1, 5)),
    ]),
    "electrician": ("electrician", "skilled", ["day", "two_shifts"], [
        ("电工", "Electrician", ("持低压电工证", "Holds a low-voltage licence"), (7000, 8000), (1000, 2000), (1, 3)),
        ("设备电工", "Equipment electrician", ("持电工证，懂PLC优先", "Electrician licence; PLC a plus"), (7500, 8500), (1000, 1500), (1, 3)),
        ("高压电工", "High-voltage electrician", ("持高压电工证", "Holds a high-voltage licence"), (8000, 8500), (1000, 1500), (1, 2)),
    ]),
    "canteen": ("canteen", "older", ["flexible", "day"], [
        ("食堂帮厨", "Kitchen helper", NONE, (4500, 5000), (500, 1000), (1, 4)),
        ("食堂厨师", "Canteen cook", ("会做大锅菜", "Cooks for large numbers"), (5500, 6000), (500, 1000), (1, 2)),
        ("食堂打菜员", "Canteen server", ("有健康证优先", "Health certificate preferred"), (4500, 5000), (500, 1000), (1, 3)),
    ]),
    "packaging": ("packaging", "factory", ["day", "two_shifts"], [
        ("包装工", "Packer", TRAIN, (5000, 5800), (1000, 1500), (5, 30)),
        ("包装普工", "Packing worker", NONE, (5000, 5600), (500, 1500), (5, 40)),
        ("打包员", "Carton packer", ("手脚麻利", "Quick hands"), (5000, 5800), (500, 1000), (3, 20)),
    ]),
    "painting": ("painting", "factory", ["two_shifts", "day"], [
        ("喷涂工", "Spray painter", ("有喷涂经验优先", "Spraying experience preferred"), (6000, 7000), (1000, 2000), (2, 12)),
        ("静电喷粉工", "Powder coating operator", TRAIN, (5800, 6800), (1000, 1500), (3, 15)),
        ("喷漆工", "Paint sprayer", ("一年以上喷漆经验", "1+ year spray painting"), (6500, 7500), (1000, 2000), (2, 8)),
        ("挂件上下料工", "Coating line loader", TRAIN, (5200, 6000), (500, 1000), (4, 20)),
    ]),
    "maintenance": ("maintenance", "skilled", ["day", "two_shifts"], [
        ("设备维修工", "Maintenance technician", ("会修冲床、注塑机等设备", "Repairs presses, moulding machines"), (7000, 8500), (1500, 2000), (1, 3)),
        ("机修工", "Machine fitter", ("两年以上机修经验", "2+ years as a machine fitter"), (7000, 8000), (1000, 2000), (1, 3)),
        ("模具钳工", "Die and mould fitter", ("会修模具，三年经验", "Repairs dies; 3 years' experience"), (8000, 9000), (1500, 2000), (1, 4)),
        ("模具学徒", "Mould-making apprentice", TRAIN, (5500, 6000), (500, 1000), (1, 4)),
    ]),
    "driver": ("driver", "driver", ["flexible", "day"], [
        ("货车司机", "Lorry driver", ("A2或B2驾照，三年驾龄", "A2 or B2 licence; 3 years driving"), (7500, 8500), (1000, 1000), (1, 4)),
        ("送货司机", "Delivery driver", ("C1驾照，熟悉路况优先", "C1 licence; local roads a plus"), (7000, 7500), (1000, 1500), (1, 3)),
        ("厂车司机", "Staff bus driver", ("A1驾照，五年驾龄", "A1 licence; 5 years driving"), (7500, 8000), (1000, 1500), (1, 2)),
    ]),
    "cleaning": ("cleaning", "older", ["day"], [
        ("保洁员", "Cleaner", NONE, (3800, 4300), (500, 500), (1, 4)),
        ("厂区保洁", "Factory cleaner", ("身体健康", "Healthy"), (4000, 4500), (500, 1000), (1, 6)),
        ("宿舍保洁", "Dormitory cleaner", NONE, (3800, 4300), (500, 500), (1, 3)),
    ]),
    "security": ("security", "older", ["two_shifts", "three_shifts"], [
        ("保安", "Security guard", ("身体健康，退伍军人优先", "Healthy; veterans preferred"), (4500, 5000), (500, 1000), (1, 4)),
        ("门卫", "Gatekeeper", ("责任心强", "Responsible"), (4200, 4700), (500, 1000), (1, 2)),
        ("巡逻保安", "Patrol guard", ("身高1.65米以上", "At least 1.65 m tall"), (4800, 5300), (500, 1000), (1, 4)),
    ]),
    "polish": ("polishing", "factory", ["two_shifts", "day"], [
        ("抛光工", "Polisher", ("可培训，计件", "Trainable; piece rate"), (6500, 7500), (1500, 2500), (5, 30)),
        ("打磨工", "Grinder", TRAIN, (6000, 7000), (1000, 2000), (5, 20)),
        ("拉丝工", "Brushed-finish worker", ("可培训", "Trainable"), (6000, 6800), (1000, 1500), (3, 12)),
    ]),
    "diecast": ("die_casting", "factory", ["two_shifts", "three_shifts"], [
        ("压铸工", "Die-casting worker", TRAIN, (6200, 7000), (1500, 2500), (3, 20)),
        ("压铸机操作工", "Die-casting machine operator", ("有压铸经验优先", "Die-casting experience preferred"), (6500, 7500), (1500, 2000), (3, 15)),
        ("去毛刺工", "Deburring worker", NONE, (5500, 6200), (500, 1000), (3, 15)),
    ]),
    "forge": ("other", "factory", ["two_shifts", "day"], [
        ("锻压工", "Forging press operator", ("能吃苦，可培训", "Hard-working; trainable"), (6500, 7500), (1000, 2000), (3, 12)),
        ("热处理工", "Heat treatment worker", ("可培训", "Trainable"), (6000, 7000), (1000, 1500), (2, 6)),
    ]),
}

BENEFITS = ["free_fare", "dormitory", "meals", "social_insurance", "overtime_pay", "paid_training", "couples_room"]
TRADES = ["stamping", "welding", "assembly", "injection_moulding", "cnc", "quality_inspection", "warehouse",
          "electrician", "canteen", "packaging", "painting", "maintenance", "driver", "cleaning", "security", "die_casting", "polishing", "other"]
SHIFTS = ["day", "two_shifts", "three_shifts", "flexible"]


def weighted(rng, weights):
    """One key of `weights`, chosen in proportion to its weight (insertion order fixed)."""
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def round_wage(rng, lo, hi):
    """A wage in [lo, hi] on a 100 yuan step, half the time on a 500 step if one fits."""
    value = rng.randrange(lo, hi + 1, 100)
    fives = [v for v in range(lo, hi + 1, 100) if v % 500 == 0]
    return rng.choice(fives) if fives and rng.random() < 0.5 else value


# The industries of KINDS in English.
INDUSTRY_EN = {
    "cup": "Stainless steel housewares", "tool": "Power tools", "door": "Doors", "scooter": "Leisure vehicles",
    "cookware": "Cookware", "garden": "Garden machinery", "auto": "Car and motorcycle parts", "lock": "Locks",
    "scale": "Weighing scales", "fitness": "Fitness equipment", "handtool": "Hand tools", "mould": "Mould making",
    "diecasting": "Aluminium die-casting", "logistics": "Logistics and warehousing", "motor": "Electric motors",
    "appliance": "Small appliances", "metal": "Metal materials", "coating": "Surface finishing",
    "service": "Facility services",
}


def make_employer(rng, brand, pinyin, kind, town):
    industry, word, word_en, what, what_en, _ = KINDS[kind]
    staff = rng.randrange(40, 301, 10) if kind in SERVICES else rng.randrange(80, 1201, 10)
    feature, feature_en = rng.choice(FEATURES)
    return {
        "id": pinyin.lower(),
        "name": f"永康市{brand}{word}有限公司",
        "name_en": f"Yongkang {pinyin} {word_en} Co., Ltd.",
        "city": CITY,
        "city_en": CITY_EN,
        "industry": industry,
        "industry_en": INDUSTRY_EN[kind],
        "description": f"主营{what}，员工约{staff}人，{feature}。",
        "description_en": f"{'Provides' if kind in SERVICES else 'Makes'} {what_en}; about {staff} staff; {feature_en}.",
    }, town


def employer_policy(rng, kind):
    """The benefits an employer offers to most of its openings."""
    odds = {"free_fare": 0.85, "dormitory": 0.92, "meals": 0.65, "social_insurance": 0.8,
            "overtime_pay": 0.7, "paid_training": 0.3, "couples_room": 0.45}
    if kind == "service":
        odds["free_fare"], odds["couples_room"] = 0.5, 0.2
    policy = {b for b in BENEFITS if rng.random() < odds[b]}
    if "dormitory" not in policy:
        policy.discard("couples_room")
    return policy


def make_opening(rng, oid, employer_id, town, role, variant, policy):
    trade, profile, shifts, _ = ROLES[role]
    title, title_en, (skills, skills_en), (wlo, whi), (slo, shi), (hlo, hhi) = variant
    wage_min = round_wage(rng, wlo, whi)
    wage_max = wage_min + rng.randrange(slo, shi + 1, 500)
    benefits = set(policy)
    trainable = "培训" in skills or "学徒" in title or not skills
    if trainable and rng.random() < 0.8:
        benefits.add("paid_training")
    elif not trainable and rng.random() < 0.5:
        benefits.discard("paid_training")
    age_min, age_max = rng.choice(AGES[profile])
    opening = {
        "id": oid, "employer": employer_id, "title": title, "title_en": title_en, "trade": trade,
        "headcount": rng.randint(hlo, hhi), "wage_min": wage_min, "wage_max": wage_max,
        "benefits": [b for b in BENEFITS if b in benefits], "age_min": age_min,
    }
    if age_max is not None:
        opening["age_max"] = age_max
    opening["skills"] = skills
    if skills_en:
        opening["skills_en"] = skills_en
    opening["work_place"] = town
    opening["work_place_en"] = f"{PLACES_EN[town]}, Yongkang"
    opening["shift"] = rng.choice(shifts)
    return opening


def build():
    rng = random.Random(SEED)
    rows = [line.split() for line in EMPLOYERS.replace("|", "\n").split("\n") if line.strip()]
    employers, towns, kinds = [], {}, {}
    for brand, pinyin, kind, town in rows:
        employer, town = make_employer(rng, brand, pinyin, kind, town)
        employers.append(employer)
        towns[employer["id"]], kinds[employer["id"]] = town, kind
    employers.sort(key=lambda e: e["id"])
    openings, oid = [], 101
    for employer in employers:
        eid, kind = employer["id"], kinds[employer["id"]]
        policy = employer_policy(rng, kind)
        count = rng.choices([2, 3, 4, 5], [2, 4, 3, 1])[0]
        pool = dict(KINDS[kind][5])
        support = 0 if kind == "service" else rng.choices([0, 1, 2], [3, 5, 2])[0]
        chosen = []
        while len(chosen) < count:
            source = SUPPORT if len(chosen) >= count - support else pool
            role = weighted(rng, source)
            variant = rng.choice(ROLES[role][3])
            if variant[0] not in [v[0] for _, v in chosen]:
                chosen.append((role, variant))
        for role, variant in chosen:
            openings.append(make_opening(rng, oid, eid, towns[eid], role, variant, policy))
            oid += 1
    places = [{"name": county, "name_en": PLACES_EN[county],
               "townships": [{"name": t, "name_en": PLACES_EN[t], "villages": [v + "村" for v in vs.split()],
                              "villages_en": [PLACES_EN[v + "村"] for v in vs.split()]}
                             for t, vs in townships.items()]}
              for county, townships in PLACES.items()]
    return {"format": 1, "fair": FAIR, "places": places, "employers": employers, "openings": openings,
            "departures": make_departures()}


# Departures: chartered buses (点对点) from the fair county's townships to Yongkang, one
# to three days after the fair, and one train group from Congjiang station. (township,
# pickup, pickup_en, buses, seats). Plates are Qiandongnan's 贵H with invented numbers.
BUSES = [
    ("高增乡", "高增乡政府门口", "Gaozeng Township Government Gate", 3, 53),
    ("丙妹镇", "从江县客运站", "Congjiang Bus Station", 2, 53),
    ("洛香镇", "洛香镇中心小学门口", "Luoxiang Central School Gate", 1, 45),
    ("往洞镇", "往洞镇政府门口", "Wangdong Town Government Gate", 1, 45),
    ("贯洞镇", "贯洞镇农贸市场", "Guandong Farmers' Market", 2, 53),
    ("加榜乡", "加榜乡政府门口", "Jiabang Township Government Gate", 1, 39),
]
SURNAMES = "杨吴潘石龙王梁韦"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def make_departures():
    rng = random.Random(SEED + 1)
    departures, day = [], 0
    for township, pickup, pickup_en, count, seats in BUSES:
        for n in range(count):
            day = (day % 3) + 1
            hour, minute = rng.choice([6, 7, 8]), rng.choice([0, 30])
            plate = f"贵H{rng.choice(PLATE_LETTERS)}{rng.randrange(1000, 10000)}"
            departures.append({
                "id": f"bus-{PLACES_EN[township].split()[0].lower()}-{n + 1}",
                "kind": "bus",
                "departs_at": f"2027-02-{15 + day:02d}T{hour:02d}:{minute:02d}:00",
                "pickup": pickup, "pickup_en": pickup_en, "pickup_township": township,
                "destination": CITY, "destination_en": CITY_EN,
                "seats": seats, "vehicle": plate,
                "contact": f"{rng.choice(SURNAMES)}师傅",
                "contact_phone": f"139{rng.randrange(10_000_000, 100_000_000)}",
            })
    departures.append({
        "id": "train-congjiang-1", "kind": "train", "departs_at": "2027-02-17T09:12:00",
        "pickup": "从江站", "pickup_en": "Congjiang Railway Station",
        "destination": CITY, "destination_en": CITY_EN, "seats": 300, "vehicle": "D2218",
        "contact": "从江县劳务协作站", "contact_phone": f"138{rng.randrange(10_000_000, 100_000_000)}",
    })
    return departures


def check(doc):
    """Assert the rules of src/domain/fair.rs plus this demo's own content rules."""
    fair = doc["fair"]
    assert re.fullmatch(r"[a-z0-9-]{3,40}", fair["id"]), fair["id"]
    counties = {c["name"]: c for c in doc["places"]}
    assert len(counties) == 3 and fair["county"] in counties
    for county in doc["places"]:
        names = [t["name"] for t in county["townships"]]
        assert 4 <= len(names) <= 7 and len(set(names)) == len(names), county["name"]
        for t in county["townships"]:
            assert 4 <= len(t["villages"]) <= 8 and len(set(t["villages"])) == len(t["villages"]), t["name"]
    fair_town = {t["name"]: t for t in counties[fair["county"]]["townships"]}[fair["township"]]
    assert fair["village"] in fair_town["villages"]
    employers = doc["employers"]
    ids = [e["id"] for e in employers]
    assert len(employers) >= 55 and len(set(ids)) == len(ids) and ids == sorted(ids)
    for e in employers:
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,24}", e["id"]), e["id"]
        assert len(e["description"]) <= 60, e["description"]
    openings = doc["openings"]
    oids = [o["id"] for o in openings]
    assert len(openings) >= 170 and len(set(oids)) == len(oids) and oids == sorted(oids)
    for o in openings:
        assert 1 <= o["id"] <= 65535 and o["employer"] in ids, o
        assert o["trade"] in TRADES and o["shift"] in SHIFTS and set(o["benefits"]) <= set(BENEFITS), o
        assert 1 <= o["headcount"] <= 80 and 0 < o["wage_min"] < o["wage_max"] <= 12000, o
        assert o.get("age_max") is None or o["age_min"] <= o["age_max"], o
        assert len(o["title"]) <= 12 and len(o["skills"]) <= 40, o
    per_employer = {i: sum(o["employer"] == i for o in openings) for i in ids}
    assert all(2 <= n <= 5 for n in per_employer.values()), per_employer
    assert set(TRADES) - {"other"} <= {o["trade"] for o in openings}
    departures = doc["departures"]
    dids = [d["id"] for d in departures]
    townships = {t["name"] for c in doc["places"] for t in c["townships"]}
    assert len(set(dids)) == len(dids) and all(re.fullmatch(r"[A-Za-z0-9_-]{1,24}", i) for i in dids), dids
    for d in departures:
        assert d["kind"] in ("bus", "train") and d["destination"] == CITY, d
        assert 1 <= d["seats"] <= (80 if d["kind"] == "bus" else 3000), d
        assert d.get("pickup_township", fair["township"]) in townships, d
        assert fair["date"] < d["departs_at"][:10] <= "2027-04-16", d
        assert re.fullmatch(r"1[3-9][0-9]{9}", d["contact_phone"]), d
    assert len({d.get("pickup_township") for d in departures if d["kind"] == "bus"}) >= 4
    assert sum(d["kind"] == "train" for d in departures) == 1
    short = ["name", "name_en", "city", "industry", "title", "title_en", "work_place", "county", "township",
             "village", "venue", "pickup", "pickup_en", "pickup_township", "destination", "destination_en",
             "vehicle", "contact"]
    walk(doc, short)


def walk(node, short):
    """Every string ≤ 200 characters, short fields ≤ 40, no stray whitespace."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        if isinstance(value, str):
            assert len(value) <= (40 if key in short else 200) and value == value.strip(), (key, value)
        else:
            walk(value, short)


def main():
    doc = build()
    check(doc)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    trades = {}
    for o in doc["openings"]:
        trades[o["trade"]] = trades.get(o["trade"], 0) + 1
    print(f"wrote {OUT.name}: {len(doc['employers'])} employers, {len(doc['openings'])} openings, "
          f"{sum(o['headcount'] for o in doc['openings'])} places, {len(doc['departures'])} departures; "
          f"by trade {trades}")


if __name__ == "__main__":
    main()
