"""The words prose attribution reads, as data: speech verbs of every register
(news 表示/指出, fiction 道/笑道/曰, English said/told), the words that open a clause
before its subject, mark an object, an indefinite or a revealed speaker, and titles
that speak. One list for every register, so fiction and English are not modes."""

from __future__ import annotations

import re

from bot.textfold import HAN

# Speech verbs of news (表示, 指出), fiction (道, 笑道, 问道) and both scripts.
ZH_VERBS = (
    "表示|指出|強調|强调|透露|坦言|直言|補充|补充|警告|承認|承认|呼籲|呼吁|回應|回应|感嘆|感叹"
    "|評價道|评价道|寫道|写道|解釋|解释|重申|宣布|宣佈|回答|答道|問道|问道|說道|说道|笑道|嘆道"
    "|叹道|喝道|罵道|骂道|告訴|告诉|提到|認為|认为|質問|质问|追問|追问|反問|反问"
    "|稱|称|說|说|問|问|答|道|曰|云"
)
EN_VERBS = (
    "said|says|told|asked|added|noted|explained|stressed|warned|argued|replied|answered"
    "|wrote|continued|insisted|recalled|declared"
    # A participle leads a quotation in a clause of its own: "…, with Minister Kelvin Davis
    # explaining that \"…\"", "Ardern spoke later, adding: \"…\"".
    "|saying|adding|explaining|noting|stressing|warning|telling"
)
# Where a single-character verb is part of another word: 说服, 据说, 称为, 知道, 道理.
# (Not 声: a lead's "大声说", "厉声道", "我应声说" speak.)
NOT_VERB_BEFORE = "据據听聽小传傳号號所俗简簡统統堪报報知难難味街频頻轨軌通"
NOT_VERB_AFTER = "服明法为為之作号號赞讚理路德歉路具"
ZH_VERB = re.compile(f"(?:{ZH_VERBS})")
# Verbs that lead into a quotation only (never reported speech): 叫, 嘱咐, 喊; and news's
# "要求“…”" (the words demanded, as said).
CALL_VERBS = "要求|叫|嘱咐|囑咐|吩咐|喊|嚷|喊道|嚷道|言|寻思|尋思|暗忖|暗想|心想"
LEAD_VERB = re.compile(
    f"(?:(?:(?<![{NOT_VERB_BEFORE}])(?:{ZH_VERBS})|{CALL_VERBS})(?:[他她你我]们?|[他她你我]們)?"
    f"|\\b(?:{EN_VERBS})(?: \\w+)?)\\s*[：:，,]?\\s*$"
)
# Reported speech: a verb of saying anywhere in the sentence, with its speaker before it.
# Single characters need a negative context: 说服, 据说, 称为 are not speech.
REPORT_VERB = re.compile(
    r"(?:表示|指出|评价道|評價道|坦言|强调|強調|写道|寫道|透露|提到|提出|认为|認為|引用|回忆|回憶"
    r"|解释|解釋|预计|預計|直言|补充|補充|警告|承认|承認|呼吁|呼籲|回应|回應|感叹|感嘆|重申|介绍|介紹"
    r"|告诉|告訴"
    r"|(?<![据據听聽小传傳声聲号號所俗简簡统統堪道报報])(?:说|說|称|稱)(?![服明法为為之作号號赞讚道理]))"
)
# "Kirby said that …", "Doe said, …", and "Price said the talks would resume" (a verb
# of stating, then the clause itself; "asked the court" is not a statement).
EN_REPORT = re.compile(
    f"\\b(?:(?:{EN_VERBS})(?: that\\b|,)"
    "|(?:said|says|added|noted|stressed|warned|argued|insisted|explained|told) (?=[a-z]))"
)
# A quotation; one still open where the unit ends runs to its end (a digitised novel
# breaks a long speech into paragraphs: "行者道：“呆子，…恐不能也。" ¶ "既是…哩。”").
# 『…』 is the first quotation mark of older printings (Wikisource's 魯迅: "『沒有。』"); inside
# 「…」 it is a quotation within one, which the outer match takes whole.
QUOTE = re.compile(r"“[^“”]*(?:”|$)|「[^「」]*(?:」|$)|『[^『』]*(?:』|$)|\"[^\"]*\"")
PRONOUN_ZH = re.compile("(?<![其利排吉無无])[他她](?![们們人国國乡鄉方者日处處])")
PRONOUN_EN = re.compile(r"\b(?:he|she|He|She)\b")
ROLE = re.compile(
    "(?:[\u4e00-\u9fff]{0,8}(?:发言人|發言人))"
    "|(?:the |a )?(?:[A-Z][a-z]+ )?(?:spokesperson|spokesman|spokeswoman)"
)
# What news puts between a speaker and the verb, never a person: where ("在例行记者会上",
# "在安理会会议上"), when ("28日", "今天") and to whom ("对记者", "向媒体").
NEWS_ADVERBIAL = re.compile(
    # "在中共最高领导机构中央政治局会议上": a span that ends in 上 first, so the 中 of
    # a name inside it (中共, 中央) does not end it.
    "在[^，,。；;在]{1,20}?上|在[^，,。；;在]{1,20}?(?:中|的时候|的時候|时候|時候|时|時|期间|期間|后|後)"
    "|\\d{1,2}日|[今昨前当當同]天|[今昨]日|近日|日前|同日|此前|周[一二三四五六日]|週[一二三四五六日]"
    "|(?:对|對|向|告诉|告訴)(?:记者|記者|媒体|媒體)(?:们|們)?"
)
CAPITALISED = re.compile(r"\b[A-Z][a-z][A-Za-z'-]+\b")
CLAUSE_SPLIT = re.compile(r"[，,；;：:。！？!?”」』]")
# Words that open a clause before its subject: 却是林黛玉, 原来是香菱, 只见宝玉.
OPENERS = re.compile(
    "^(?:话说|話說|且说|且說|却说|卻說|只说|只說|单说|單說|再说|再說|只见|只見|原来是|原來是|却是|卻是|但是|但|却|卻|便|又|遂"
    "|于是|於是|这时|這時|此时|此時|随后|隨後|随即|隨即|忽见|忽見|忽然|忽又|忽|只听|只聽"
    "|又见|又見|谁知|誰知|谁想|誰想|不想|不料|急的|急得|方知|而|并|並|也|就|则|則"
    "|幸而|幸亏|幸虧|好在|可是|然而|后来|後來|接着|接著|终于|終於|果然|偏偏|恰好|正好"
    # "我的母亲也就进来": whose mother is no subject ("他的母亲说" is not 他 speaking).
    "|(?:我|你|他|她)的(?=母亲|母親|父亲|父親|妻子|丈夫|女人|儿子|兒子|女儿|女兒)"
    # "那妇人道", "那八戒闻得…": a demonstrative before a noun or a name (not 那人, 那里).
    "|(?:那|这|這)(?![人个個些边邊里裡时時样樣般么麼])"
    ")+"
)
# A name right after one of these is an object, not the speaker: 向紫鹃道, 推紫鹃道,
# 问紫鹃道, 走至宝玉跟前.
BEFORE_OBJECT = set(
    "向对對和与與跟同把被给給替问問拉推叫喊望朝劝勸骂罵求请請寻尋找至到见見告携攜谓謂咐视視了"
    "于於"  # classical: "问于子贡曰" (asked of 子贡), "告于" (told to)
)
# The first character of a lead with no subject of its own ("急起身道", "即下马道").
SUBJECTLESS = set("急忙即随隨遂乃就才方连連慌又复復便")
# A rank or a title written after a name, before the verb: "吴谦大校表示".
RANK_AFTER = re.compile(
    "(?:大校|上校|中校|少校|上将|上將|中将|中將|少将|少將|大尉|上尉|中尉|少尉|大使|教授|博士|院士"
    "|先生|女士|议员|議員)$"
)
# Bare leads of a classical dialogue: "曰：“…”" with no subject, after another's words,
# is the other party's reply ("子曰：“…”曰：“然则师愈与？”" is the asker again).
BARE_REPLY = re.compile("^(?:曰|对曰|對曰)$")
# A verb of answering: who answers is the one spoken to, not who just spoke.
ANSWERS = re.compile(
    r"回答|答道|答应|答應|争辩|爭辯|分辩|分辯|反驳|反駁|\b(?:replied|answered|returned|rejoined|retorted)\b"
)
BARE_REPLY_IN = re.compile("(?:^|[”」』，,。；;\\s-])(?:对|對)?曰[：:]")
# A person by role, named by 者 right before the verb: "从者曰", "使者曰".
ROLE_BY_ZHE = re.compile(f"^(?P<role>[{HAN}]{{1,2}}者)(?:曰|云|道|问|問)$")
# After a name, these make it a possessor, not the subject: 宝玉的丫头, 操之子, 贾母处.
POSSESSIVE = set("的之家处處屋")
# The last character of a place word, never of a speaker: 心中暗道, 口里说道, 上面写道.
LOCATIVE = set("中里裡上下内內外前后後边邊")
# Verbs that take a speaker straight into a quotation, "X道：“…”".
SPEECH_OPENING = "道|曰|说道|說道|笑道|问道|問道|叫道|答道|喝道|骂道|罵道|叹道|嘆道"
# A plural after a noun: 丫鬟们, 婆子們 (a group, not one speaker).
PLURAL = set("们們等")
# Verbs of writing: a sign or a letter "says" ("上面写道：“…”"); its writer, if any, is
# named in the verb's own clause, never carried from the clauses before it.
WRITTEN = re.compile("写|寫|书道|書道|上书|上書|刻着|刻著")
# A clause of background opened by these has its own subject, not the speaker's.
SUBORDINATE = re.compile("^(?:因为|因為|因|正值|虽然|雖然|虽|雖|若是|若|如果)")
# Words that bring a new subject into the scene: 只见X…, 忽见X….
PRESENTS = re.compile("^(?:只见|只見|忽见|忽見|却见|卻見|但见|但見|又见|又見)")
# A clause that brings someone new into the scene: "走出一个半老不老的妇人来".
INTRODUCES = re.compile("一(?:个|個|位|名|员|員)")
# Words that open an indefinite subject: 有人笑道, 一人道, 那人道, 众人道.
INDEFINITE = re.compile(
    "^(?:有人|有个|有個|一人|一个|一個|那人|众|眾|某|几|幾|诸|諸|两|兩|二人|大家|人们|人們"
    "|[闻聞听聽]得?有?人)"
)
# A first-person narrator opening a sentence ("我暗想…", "我们…").
NARRATOR = re.compile("^(?:我|我们|我們)(?![国國军軍方])")
# The narrator alone, anywhere in a text ("我应声说：", "我惶恐着，站起来说"); "我们" is a
# group and "我国", "我军", "我方", "我校" are no person.
NARRATOR_ME = re.compile("我(?![们們国國军軍方校院司局市省县縣])")
# The narrator alone opening a clause: who may speak.
NARRATOR_ALONE = re.compile("^" + NARRATOR_ME.pattern)
# Whom a lead says its words to ("闰土又对我说：", "宝玉向黛玉笑道"): the one who answers
# the next bare quotation.
ADDRESSED = re.compile("(?:对|對|向|跟)(?:着|著)?")
# Where a sentence ends inside a lead or a tail: the narrator must open the speech verb's
# own sentence, not one before it.
SENTENCE_END = re.compile("[。！？!?…]+")
# A speech verb negated is no attribution: "掌柜也不再问" did not ask.
NEGATED = re.compile(f"(?:不|没|沒|未)(?:再|曾|有)?(?:{ZH_VERBS})")
# A speaker who is many people: "所有喝酒的人", "孩子们", "众人".
GROUP = re.compile("^(?:所有|一切|众|眾|大家|旁人|一群|一伙|一夥)|[们們]$")
# Many people as the subject of a lead ("众人笑道", "旁人便又问道", "孩子们嚷道"): the
# group speaks, labelled by its noun. 他们 is the group that spoke last; "有人", "一人"
# are one unnamed person, 我们/你们/咱们 no third party and 人们 people at large.
GROUP_HEAD = re.compile(f"^(?:众人|眾人|旁人|大家|众位|眾位|大众|大眾|[{HAN}]{{1,3}}?[们們])")
PLURAL_PRONOUN = frozenset({"他们", "他們", "她们", "她們"})
NOT_A_GROUP = frozenset({"我们", "我們", "你们", "你們", "咱们", "咱們", "人们", "人們"})
# A lead that goes on from the utterance before it, with no subject of its own:
# "又向紫鹃道", "一边想，一边便走过来蹲下笑道", "说着，便…含笑说道".
GOES_ON = re.compile("^(?:又|一边|一邊|一面|说着|說著|说罢|說罷|便|遂|随又|隨又|复|復|接着|接著)")
# The reflexive as the subject of a lead's verb ("直起身又看一看豆，自己摇头说"): the
# sentence goes on with the one who was speaking.
REFLEXIVE = re.compile("^(?:自己|自個兒|自个儿)")
# Someone unnamed anywhere in the clause: "吕布背后一人高声出曰".
SOMEONE = re.compile("(?:一人|一个人|一個人|有人|一将|一將)")
# After an indefinite speaker, the text often says who it was: "原来是香菱".
REVEALED = re.compile(
    f"(?:原来是|原來是|却是|卻是|乃是|正是|不是别人|不是別人)[，,]?(?P<name>[{HAN}]{{2,3}})"
)
# What follows a one-character name before its verb: "卓大怒曰", "操暗忖曰", "操又思曰".
SHORT_NAME_NEXT = set(
    "大暗又乃忙急笑怒惊驚叹嘆谢謝答问問喝骂罵亦即便遂曰道云言告顾顧谓謂对對向与與以指拜叱喜"
)
# Titles that speak in classical fiction as news has its spokespeople: "县令曰".
TITLES = "县令|縣令|丞相|太守|将军|將軍|刺史|都督|军师|軍師|太后|天子|皇帝|县官|縣官|从人|從人"
TITLE = re.compile(f"^(?:{TITLES})")
# A title after a place, then its holder: "长沙太守孙坚出曰" (what comes before the title
# is at most a place name, never whom it was said to: "谓太守曰").
TITLE_INSIDE = re.compile(f"^(?P<place>[{HAN}]{{1,4}}?)(?:{TITLES})")
# The last character of a title made of a place and a rank: 温侯, 曹公, 汉王 ("温侯吕布
# 挺身出曰": the title, then the name that speaks).
TITLE_END = set("侯公王帝")
# The last character of a noun for a person by role: 酒家, 店家, 丫鬟, 使者, 狱卒, 门吏,
# 军士, 猎户, 樵夫, 婆子 is not here (子 ends too many things). A dictionary word that
# ends in one of these and opens the clause leading into a quotation is a role speaker.
PERSON_SUFFIX = set(
    "家者令守史卒吏士户戶夫翁婆厮廝鬟童官尉督丞娘妇婦僧尼汉漢客使侍臣兵将將长長相师師生"
)
# How far around the paragraph being read a name is looked for (characters).
NEAR = 6000
# A character this common alone is a word (来, 说, 便), not a short name.
COMMON_CHAR = 20000
# Verbs of news reports, where a title or an organisation comes before the name
# ("国务院总理李强指出"); fiction's 道/曰/说 lead from the name itself.
NEWS_VERB = re.compile(
    "表示|指出|強調|强调|透露|坦言|直言|補充|补充|警告|承認|承认|呼籲|呼吁|回應|回应"
    "|認為|认为|稱|称|宣布|宣佈|解釋|解释|重申|提到|介绍|介紹|要求"
)
# The verbs after which news writes a title or an organisation before the speaker's name:
# the news verbs and the plain 说 ("法国总统马克龙说", "众议院议长佩洛西说"). Not in
# NEWS_VERB itself, whose other reader (is the text after a quotation its attribution?)
# must keep reading "“…”他说，…" as one.
TITLED_VERB = re.compile(f"{NEWS_VERB.pattern}|说|說")
# A lead that is a verb and nothing else ("…发表讲话，强调“…”"): its subject is in the
# clause before.
BARE_VERB = re.compile(f"^(?:{ZH_VERBS}|{CALL_VERBS})$")
# What that clause before ends with: the speech it made ("发表讲话", "致辞", "发言").
SPEECH_MADE = re.compile(
    "(?:发表|發表|作|做)?(?:重要)?(?:讲话|講話|演讲|演講|致辞|致辭|发言|發言|谈话|談話)$"
)
# A head word this common in the dictionary is a word, not a name (口内, 回头).
COMMON_WORD = 1
# Adverbs and manners between a subject and its verb (宝玉忙问, 黛玉笑道).
MANNER_TAIL = set("笑忙又便也方因才乃遂亦却卻都听聽看见見冷含点點拍正在就还還已曾刚剛将將")
ENDS_INSIDE = re.compile(r"[。！？!?….][”」』\"]$")
# A verb that closes an attribution: "，他说。", ", said Doe." (not 云 inside 史湘云).
# An English attribution after its quotation that starts with the verb: ", said Jane Doe,
# …" or ", said the spokesperson".
# Or a long subject, titles and all: ", Foreign Minister Nanaia Mahuta said.".
EN_TAIL = re.compile(
    f"^[,，]?\\s*(?:(?:{EN_VERBS})\\s+(?:[A-Z]|the\\b|a\\b)"
    # (the verb then ends the sentence, but for a time: "…,” Ardern said on Monday.")
    f"|[A-Z][\\w.'’-]*\\s+(?:(?:[A-Z][\\w.'’-]*|of|for|and)\\s+){{0,7}}(?:{EN_VERBS})"
    "(?:\\s+(?:on|in|at|this|last|today|yesterday|[A-Z]\\w*)){0,3}\\s*[.!?]?\\s*$)"
)
TAIL = re.compile(
    f"^[，,]?\\s*.{{0,30}}?(?:(?:{ZH_VERBS})了?(?=$|[。，,.!！?？；;\\s])|\\b(?:{EN_VERBS})\\b)"
)

HAN_RUN = re.compile(f"[{HAN}]+")
CLAUSE_ENDS = set("，。！？；：”」』\n,.!?;:")

# Adverbs that open an English sentence before its subject: "Presently Tom seized his
# comrade's arm and said:" is Tom's.
EN_OPENING_ADVERBS = frozenset(
    "Presently Suddenly Finally Slowly Quickly Immediately Instantly Directly Shortly"  # noqa: SIM905
    " Eventually Gradually Apparently Evidently Certainly Surely Really Hastily Silently"
    " Softly Gently Quietly Lastly Meanwhile Afterwards Accordingly Nevertheless Again"
    " Instead Indeed Thereupon Abruptly Briskly Sadly Angrily Eagerly"
    " Then Now Still Yet Once Here There".split()
)
# Words of an office or a description written before an English name, never part of it
# ("New Zealand Prime Minister Jacinda Ardern said": the name is the capitalised run
# nearest the verb, these excluded), and words of an organisation, which no person's
# name holds ("the World Health Organization said").
EN_TITLE_WORDS = frozenset(
    "Prime Minister Ministers Secretary State Foreign Deputy Vice President Premier"  # noqa: SIM905
    " Chancellor Senator Sen Rep Representative Congressman Congresswoman Governor"
    " Mayor Ambassador Director Administrator Commissioner Chief General Attorney"
    " Spokesperson Spokesman Spokeswoman Dr Prof Professor Judge Justice Chairman"
    " Chairwoman Chair Speaker Leader Opposition Minister Health Defence Defense"
    " Finance Trade Affairs Interior Education Commander Captain Colonel Lieutenant"
    " Sergeant Officer Detective Inspector Superintendent Councillor Councilor"
    " Treasurer Sheriff Acting Former Executive Head Member Associate Assistant"
    " Senior Principal Investigator Manager King Queen Prince Princess Sir Dame Lord"
    " Lady Hon Honourable Honorable Mr Mrs Ms Miss Mister Master Mistress Doctor Madame"
    " Monsieur Organization Organisation"
    " Ministry Department Agency University Institute Council Committee Association"
    " Office Party Bank Court Police Service Services Government Commission"
    " Authority Board Center Centre Foundation Company Corporation Group News Times"
    " Post Journal Press Agency Union Nations Republic Kingdom States Federal"
    " National".split()
)
# Words of the calendar and of places, which make no English name of two capitalised words
# ("Christmas Eve", "Baker Street", "Coburg Square"). Not "May" (Theresa May) nor "Park"
# (Park Geun-hye).
EN_PLACE_WORDS = frozenset(
    "January February March April June July August September October November December"  # noqa: SIM905
    " Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter Eve"
    " Street Square Road Lane Avenue Terrace Hall Abbey Castle Church Cathedral Chapel"
    " Bridge River Island Islands Mountain Mount Lake Valley Station".split()
)
# "according to X, “…”": X is the speaker of the quotation that follows.
ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,，:：]+?)\s*[,，:：]?\s*$")
# Nouns for a person by role in modern fiction that speak under that role ("掌柜说",
# "酒客叫道", "掌柜的说道"), where the last character alone is no mark of a person.
ROLE_NOUNS = frozenset(
    "掌柜 掌櫃 伙计 夥計 老板 老闆 酒客 茶客 堂倌 跑堂 车夫 車夫"  # noqa: SIM905
    " 船夫 渔夫 漁夫 农夫 農夫 警察 巡警 士兵 军官 軍官 医生 醫生"
    " 大夫 护士 護士 老师 老師 先生 学生 學生 校长 校長 主人 客人"
    " 店主 东家 東家 庄家 莊家 地保 差役 衙役 看客 闲人 閒人 路人"
    " 老头 老頭 老头子 老頭子 老太太 老女人 女人 男人 少年 姑娘 孩子"
    " 小孩 老妇 老婦 和尚 道士 尼姑 地主 长工 長工 短工 母亲 母親"
    " 父亲 父親 祖母 祖父".split()
)
# A lead that ends its paragraph and gives the quotation to the next one: "拍他肩膀说：——".
LEAD_END = re.compile("[：:]\\s*(?:——|—|--)*\\s*$")
# An aside in parentheses: "多米尼克·拉布(Dominic Raab)在其声明中说" reads without it.
ASIDE = re.compile(r"\s*[(（][^()（）]{1,40}[)）]\s*")
# A surname and one of these call someone by name: "“白先生，你知道…”", "“韦太太，…”".
ZH_ADDRESS_FORMS = frozenset(
    "先生 太太 小姐 老爷 老爺 少爷 少爺 夫人 师傅 師傅 大人 姑娘".split()  # noqa: SIM905
)
# A saying quoted, no one's words: "古语说得好，“人要衣裳马要鞍”", "俗话说".
SAYING = re.compile("^(?:古语|古語|俗话|俗話|俗语|俗語|常言|谚语|諺語|老话|老話)")
# An edition's note reference, where the note is elsewhere: "“对对。”①木三点头说",
# "拆掉了，〔２〕总算", "[3]". The display keeps it; reading who speaks skips it.
NOTE_MARK = re.compile("[\u2460-\u2487]|〔[0-9０-９]{1,3}〕|\\[[0-9]{1,3}\\]")
# A quotation that ends on a comma goes on after its attribution: "“…，” 古举伦说，“…”";
# one broken off by a dash or dots as well: "“就是——”她走近两步，…切切的说，“…”".
COMMA_END = re.compile(r"(?:[，,]|——|……)\s*[”」』\"]\s*$")
