package nickname

// Figure is a historical or fictional figure whose name is borrowed to
// mock someone, with what the borrowing says about them.
type Figure struct {
	Name        string
	Connotation string
}

// Figures is a short list of the figures most often borrowed for nicknames
// on Chinese social media, with their connotation.
var Figures = []Figure{
	{"岳不群", "伪君子"},
	{"乔布斯", "模仿者/山寨偶像"},
	{"秦桧", "奸臣、出卖"},
	{"和珅", "贪婪敛财"},
	{"严嵩", "奸臣"},
	{"赵高", "指鹿为马、颠倒黑白"},
	{"司马昭", "野心路人皆知"},
	{"曹操", "奸雄、多疑"},
	{"刘备", "假仁假义、靠哭"},
	{"阿斗", "扶不起"},
	{"宋江", "伪善、招安"},
	{"高俅", "靠逢迎上位"},
	{"王伦", "心胸狭窄、嫉贤妒能"},
	{"西门庆", "好色无良"},
	{"武大郎", "窝囊"},
	{"葛朗台", "吝啬"},
	{"周扒皮", "剥削压榨"},
	{"黄世仁", "恶霸、逼债"},
	{"南郭先生", "滥竽充数"},
	{"赵括", "纸上谈兵"},
	{"马谡", "言过其实"},
	{"叶公", "叶公好龙、口是心非"},
	{"阿Q", "自欺欺人"},
	{"孔乙己", "死要面子"},
	{"祥林嫂", "絮叨卖惨"},
	{"慈禧", "专横奢靡"},
	{"袁世凯", "窃国背信"},
	{"吴三桂", "背叛"},
	{"魏忠贤", "专权"},
	{"汪精卫", "变节"},
	{"伏地魔", "邪恶"},
	{"唐僧", "啰嗦说教"},
	{"诸葛亮", "事后诸葛、自作聪明"},
	{"匹诺曹", "说谎"},
	{"贾跃亭", "画饼不兑现"},
}
