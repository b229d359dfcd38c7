//! Small curated boost tables that sit *in front of* the dictionary engine.
//!
//! These are not a dictionary: they only say which characters to pull to the
//! front for a reading the engine already knows (or that the `pinyin` crate
//! fills in). Every reading here is cross-checked against the `pinyin` crate's
//! heteronym data in `tests/tables.rs`.

/// The 100 most common surnames by population, most common first, each with
/// the reading a person types for it as a surname (`v` stands for `ü`).
///
/// Order follows the widely reported 2020 household-register ranking; ranks
/// 1–30 are stable across sources, ranks past ~60 differ by a few places
/// between years and sources (e.g. 闫/段/雷, 万/覃/武). Extra readings after
/// `|` are alternatives people type (吕 is often typed `lu`).
pub const TOP_SURNAMES: &str = "\
王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou \
徐xu 孙sun 马ma 朱zhu 胡hu 郭guo 何he 林lin 高gao 罗luo \
郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 邓deng 冯feng 曹cao \
彭peng 曾zeng 肖xiao 田tian 董dong 潘pan 袁yuan 蔡cai 蒋jiang 余yu \
于yu 杜du 叶ye 程cheng 魏wei 苏su 吕lv|lu 丁ding 任ren 卢lu \
姚yao 沈shen 钟zhong 姜jiang 崔cui 谭tan 陆lu 范fan 汪wang 廖liao \
石shi 金jin 韦wei 贾jia 夏xia 付fu 方fang 邹zou 熊xiong 白bai \
孟meng 秦qin 邱qiu 侯hou 江jiang 尹yin 薛xue 闫yan 段duan 雷lei \
龙long 黎li 史shi 陶tao 贺he 毛mao 郝hao 顾gu 龚gong 邵shao \
万wan 覃qin 武wu 钱qian 戴dai 严yan 莫mo 孔kong 向xiang 常chang";

/// Less common surnames (ranked after the top 100, roughly by population),
/// including the ones whose surname reading differs from the everyday one
/// (单 shan, 解 xie, 仇 qiu, 区 ou, 查 zha, 朴 piao, 盖 ge, 缪 miao, 尉 yu …) and
/// surnames frequent in Qiandongnan (粟, 滚, 邰, 欧, 蒙).
pub const MORE_SURNAMES: &str = "\
汤tang 易yi 乔qiao 赖lai 文wen 庞pang 樊fan 兰lan 殷yin 施shi \
洪hong 翟zhai 安an 颜yan 倪ni 牛niu 温wen 季ji 俞yu 章zhang \
鲁lu 葛ge 伍wu 申shen 尤you 毕bi 聂nie 焦jiao 柳liu 邢xing \
路lu 岳yue 齐qi 梅mei 庄zhuang 辛xin 管guan 祝zhu 左zuo 涂tu \
谷gu 祁qi 时shi 舒shu 耿geng 牟mu 卜bu 詹zhan 关guan 苗miao \
凌ling 费fei 纪ji 靳jin 盛sheng 童tong 欧ou 甄zhen 项xiang 曲qu \
成cheng 游you 阳yang 裴pei 席xi 卫wei 查zha 屈qu 鲍bao 位wei \
霍huo 翁weng 隋sui 甘gan 景jing 单shan 包bao 司si 柏bai 宁ning \
柯ke 阮ruan 桂gui 闵min 解xie 强qiang 柴chai 华hua 车che 冉ran \
房fang 边bian 吉ji 饶rao 刁diao 瞿qu 戚qi 丘qiu 古gu 米mi \
池chi 滕teng 晋jin 苑yuan 邬wu 臧zang 宫gong 苟gou 全quan 褚chu \
廉lian 简jian 娄lou 盖ge 符fu 穆mu 党dang 燕yan 郎lang 冀ji \
谈tan 姬ji 屠tu 连lian 栾luan 郁yu 商shang 蒙meng 喻yu 窦dou \
迟chi 敖ao 冷leng 卓zhuo 仇qiu 艾ai 蓝lan 巩gong 仲zhong 乐yue|le \
虞yu 卞bian 封feng 冼xian 佟tong 栗li 匡kuang 宗zong 应ying 巫wu \
鞠ju 桑sang 荆jing 谌chen 岑cen 胥xu 区ou 朴piao 缪miao 尉yu \
粟su 滚gun 邰tai 麻ma 宿su 秘bi 召shao 和he 尚shang 农nong";

/// Two-character surnames, typed as one run of pinyin.
pub const COMPOUND_SURNAMES: &str = "\
欧阳ouyang 司马sima 上官shangguan 诸葛zhuge 令狐linghu 皇甫huangfu \
司徒situ 夏侯xiahou 尉迟yuchi 长孙zhangsun 慕容murong 东方dongfang \
万俟moqi 单于chanyu 公孙gongsun 宇文yuwen 轩辕xuanyuan";

/// Characters common in given names, roughly most common first, with the
/// reading used in names. Compiled from general knowledge of name-frequency
/// reports, not from a measured corpus: treat the order as approximate.
pub const GIVEN_NAME_CHARS: &str = "\
伟wei 英ying 华hua 玉yu 秀xiu 明ming 文wen 兰lan 金jin 国guo \
春chun 红hong 丽li 海hai 平ping 芳fang 建jian 云yun 珍zhen 林lin \
桂gui 凤feng 霞xia 燕yan 荣rong 军jun 志zhi 梅mei 勇yong 强qiang \
杰jie 涛tao 斌bin 刚gang 辉hui 敏min 静jing 娟juan 艳yan 丹dan \
超chao 磊lei 鹏peng 浩hao 宇yu 俊jun 峰feng 飞fei 洋yang 琳lin \
婷ting 颖ying 慧hui 萍ping 雪xue 晶jing 倩qian 欣xin 佳jia 怡yi \
涵han 轩xuan 梓zi 子zi 睿rui 博bo 晨chen 昊hao 然ran 泽ze \
宁ning 鑫xin 阳yang 帅shuai 晓xiao 小xiao 永yong 德de 福fu 生sheng \
成cheng 龙long 东dong 新xin 亮liang 宏hong 波bo 鸿hong 家jia 天tian \
思si 雨yu 琪qi 瑶yao 璐lu 露lu 诗shi 月yue 舒shu 蕾lei \
薇wei 菲fei 妍yan 萱xuan 婉wan 淑shu 惠hui 贤xian 智zhi 勤qin \
健jian 康kang 民min 安an 良liang 忠zhong 祥xiang 坤kun 贵gui 富fu \
财cai 才cai 发fa 顺shun 根gen 树shu 山shan 水shui 石shi 秋qiu \
冬dong 和he 兴xing 旺wang 兵bing 武wu 江jiang 河he 光guang 花hua \
菊ju 莲lian 翠cui 香xiang 琴qin 芬fen 玲ling 娥e 妹mei 银yin \
美mei 娇jiao 媛yuan 莹ying 琼qiong 瑞rui 琦qi 璇xuan 豪hao 毅yi \
鸣ming 铭ming 凯kai 锋feng 晖hui 彬bin 松song 柏bai 楠nan 森sen \
栋dong 振zhen 伦lun 洪hong 全quan 胜sheng 利li 义yi 仁ren 信xin \
正zheng 清qing 洁jie 欢huan 乐le 悦yue 妮ni 娜na 莎sha 婕jie \
岚lan 芸yun 蓉rong 珊shan 茜qian 茹ru 馨xin 蕊rui 爽shuang 彤tong \
桐tong 雯wen 菁jing 晴qing 婧jing 瑾jin 钰yu 雅ya 嘉jia 晗han \
一yi 依yi 艺yi 奕yi 逸yi 熙xi 曦xi 锦jin 瀚han 皓hao \
昕xin 煜yu 旭xu 辰chen 航hang 翔xiang 腾teng 骏jun 凡fan 帆fan \
诚cheng 承cheng 希xi 远yuan 元yuan 源yuan 亚ya 秀xiu 丰feng 喜xi \
红hong 连lian 继ji 少shao 双shuang 友you 忠zhong 宝bao 仙xian 凤feng \
娣di 姣jiao 娅ya 婵chan 琴qin 珠zhu 素su 青qing 翠cui 彩cai";

/// Transliterated name parts common among Uyghur, Kazakh, Hui, Tibetan and Mongolian
/// villagers (阿依古丽·买买提 is two of them). Offered whole in name fields when their
/// pinyin is typed (or begun, two syllables or more). Readings come from the `pinyin` crate.
pub const NAME_PARTS: &str = "\
阿依古丽 买买提 古丽 艾力 阿不都 阿布都 阿卜杜拉 热依拉 努尔 吐尔逊 帕提古丽 米热古丽 \
阿依努尔 迪丽 热合曼 阿力木 玉素甫 库尔班 吾斯曼 沙吾提 肉孜 艾尼瓦尔 麦麦提 阿里木 \
穆罕默德 伊力哈木 艾买提 依明 买合木提 阿依夏 图尔荪 努尔古丽 阿娜尔 祖丽菲亚 \
巴图 其其格 乌兰 娜仁 格日勒 苏和 朝鲁 斯琴 \
扎西 卓玛 次仁 达瓦 拉姆 尼玛 央金 格桑 旺堆 多吉 德吉 措姆";

/// Parses one of the tables above into `(text, readings)` rows, in order.
///
/// Each whitespace-separated item is Han characters followed by ASCII
/// readings separated by `|`.
pub fn parse_table(table: &'static str) -> Vec<(&'static str, Vec<&'static str>)> {
    table
        .split_whitespace()
        .map(|item| {
            let split = item
                .find(|c: char| c.is_ascii_lowercase())
                .expect("every table item has a reading");
            let (text, readings) = item.split_at(split);
            (text, readings.split('|').collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_surname_table_has_exactly_one_hundred_distinct_entries() {
        let rows = parse_table(TOP_SURNAMES);
        let mut texts: Vec<_> = rows.iter().map(|r| r.0).collect();
        assert_eq!(texts.len(), 100);
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), 100);
    }

    #[test]
    fn alternative_readings_are_split_on_the_bar() {
        let rows = parse_table(TOP_SURNAMES);
        let lv = rows.iter().find(|r| r.0 == "吕").unwrap();
        assert_eq!(lv.1, vec!["lv", "lu"]);
    }
}
