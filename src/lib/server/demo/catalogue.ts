// The demo city's names: a county-level city like Yong'an, Fujian (the seed report's city), with
// its municipal and vertically-managed departments, townships, industries and the words its
// enterprises, approval items and records are named with. Pure data, no I/O.
import type { Category } from '$lib/domain/scoring';

export interface DemoDepartment {
	code: string;
	nameZh: string;
	nameEn: string;
	category: Category;
	/** Vertically-managed departments: the authority above them (scoring.md §3). */
	superiorAuthority?: string;
	/**
	 * Subjects of its approval and service items, when it has a window in the service center
	 * (the handbook lists the items of these departments only).
	 */
	subjects?: readonly string[];
	/**
	 * How much trouble the department gives (0 none … 3 much): the seed report's stories are about
	 * the land bureau, the police and the office for the ageing; it drives the complaints, the
	 * findings and the ratings the demo writes, so that the rankings have a reason.
	 */
	trouble: number;
}

const M = (
	code: string,
	nameZh: string,
	nameEn: string,
	trouble: number,
	subjects?: readonly string[]
): DemoDepartment => ({ code, nameZh, nameEn, category: 'municipal', trouble, subjects });

const V = (
	code: string,
	nameZh: string,
	nameEn: string,
	superiorAuthority: string,
	trouble: number,
	subjects?: readonly string[]
): DemoDepartment => ({
	code,
	nameZh,
	nameEn,
	category: 'vertical',
	superiorAuthority,
	trouble,
	subjects
});

/** 40 municipal departments (市直部门). */
export const MUNICIPAL: readonly DemoDepartment[] = [
	M('fgj', '市发展和改革局', 'Development and Reform Bureau', 0, [
		'固定资产投资项目',
		'企业投资项目',
		'价格收费'
	]),
	M('jmj', '市经济贸易局', 'Economic and Trade Bureau', 1, [
		'技术改造项目',
		'成品油零售经营',
		'再生资源回收经营'
	]),
	M('czj', '市财政局', 'Finance Bureau', 0, ['会计从业资格', '代理记账机构', '政府采购供应商']),
	M('jyj', '市教育局', 'Education Bureau', 1, ['民办学校办学', '教师资格', '社会力量办学']),
	M('kjj', '市科学技术局', 'Science and Technology Bureau', 0),
	M('gaj', '市公安局', 'Public Security Bureau', 3, [
		'特种行业许可证',
		'户口迁移',
		'居民身份证',
		'印章刻制'
	]),
	M('mzj', '市民政局', 'Civil Affairs Bureau', 1, [
		'社会团体登记',
		'民办非企业单位登记',
		'婚姻登记'
	]),
	M('sfj', '市司法局', 'Justice Bureau', 0, ['法律服务所', '公证事项']),
	M('ldj', '市劳动和社会保障局', 'Labour and Social Security Bureau', 2, [
		'劳动合同鉴证',
		'社会保险登记',
		'职业介绍机构'
	]),
	M('rsj', '市人事局', 'Personnel Bureau', 0),
	M('gtj', '市国土资源局', 'Land and Resources Bureau', 3, [
		'建设用地',
		'土地使用权登记',
		'采矿权',
		'土地使用权转让'
	]),
	M('jsj', '市建设局', 'Construction Bureau', 2, [
		'建筑工程施工许可',
		'建筑业企业资质',
		'商品房预售许可',
		'施工图审查'
	]),
	M('ghj', '市规划局', 'Urban Planning Bureau', 2, [
		'建设项目选址意见书',
		'建设用地规划许可',
		'建设工程规划许可'
	]),
	M('jtj', '市交通局', 'Transport Bureau', 2, ['道路运输经营', '交通建设项目', '水路运输']),
	M('slj', '市水利局', 'Water Resources Bureau', 1, [
		'取水许可',
		'河道管理范围内建设项目',
		'水土保持方案'
	]),
	M('nyj', '市农业局', 'Agriculture Bureau', 0, ['农药经营', '种子经营许可', '农机安全']),
	M('lyj', '市林业局', 'Forestry Bureau', 1, [
		'林木采伐许可',
		'木材运输证',
		'木材经营加工',
		'征占用林地'
	]),
	M('xmj', '市畜牧水产局', 'Animal Husbandry and Aquatic Products Bureau', 0, [
		'动物防疫合格证',
		'水产苗种生产'
	]),
	M('wjm', '市对外贸易经济合作局', 'Foreign Trade and Economic Cooperation Bureau', 0, [
		'外商投资企业设立',
		'对外贸易经营者备案'
	]),
	M('wtj', '市文化体育局', 'Culture and Sports Bureau', 1, [
		'网吧经营许可',
		'娱乐场所经营',
		'音像制品经营'
	]),
	M('wsj', '市卫生局', 'Health Bureau', 2, ['卫生许可证', '医疗机构执业', '健康证明']),
	M('jsw', '市计划生育局', 'Family Planning Bureau', 1, ['流动人口婚育证明', '生育服务证']),
	M('hbj', '市环境保护局', 'Environmental Protection Bureau', 1, [
		'建设项目环境影响评价',
		'排污许可',
		'竣工环保验收'
	]),
	M('sjj', '市审计局', 'Audit Bureau', 0),
	M('tjj', '市统计局', 'Statistics Bureau', 0, ['统计登记']),
	M('wjj', '市物价局', 'Price Bureau', 1, ['收费许可证', '价格认证']),
	M('ajj', '市安全生产监督管理局', 'Work Safety Supervision Bureau', 1, [
		'危险化学品经营许可',
		'烟花爆竹经营',
		'安全生产许可'
	]),
	M('lyu', '市旅游局', 'Tourism Bureau', 0),
	M('fgl', '市房地产管理局', 'Real Estate Administration Bureau', 2, [
		'房屋所有权登记',
		'房屋拆迁许可',
		'房地产开发企业资质'
	]),
	M('szj', '市市政公用事业局', 'Municipal Utilities Bureau', 1, [
		'占用挖掘道路',
		'城市供水',
		'户外广告设置'
	]),
	M('rfb', '市人民防空办公室', 'Civil Air Defence Office', 0, ['人防工程建设']),
	M('llb', '市老龄工作委员会办公室', 'Office of the Committee on Ageing', 3),
	M('xfj', '市信访局', 'Letters and Visits Bureau', 0),
	M('mzz', '市民族宗教事务局', 'Ethnic and Religious Affairs Bureau', 0),
	M('daj', '市档案局', 'Archives Bureau', 0),
	M('lsj', '市粮食局', 'Grain Bureau', 0, ['粮食收购资格']),
	M('xqj', '市乡镇企业局', 'Township Enterprises Bureau', 1),
	M('cgj', '市城市管理行政执法局', 'Urban Management Enforcement Bureau', 2),
	M('gzj', '市国有资产管理局', 'State Assets Administration Bureau', 0),
	M('jgs', '市机关事务管理局', 'Government Offices Administration', 0)
];

/** 15 vertically-managed departments (垂管部门), each with the authority above it. */
export const VERTICAL: readonly DemoDepartment[] = [
	V('gsj', '市国家税务局', 'State Taxation Bureau', '三明市国家税务局', 1, [
		'税务登记',
		'增值税一般纳税人认定',
		'发票领购'
	]),
	V('dsj', '市地方税务局', 'Local Taxation Bureau', '三明市地方税务局', 1, [
		'地税税务登记',
		'减免税审批',
		'代开发票'
	]),
	V(
		'gsgl',
		'市工商行政管理局',
		'Administration for Industry and Commerce',
		'三明市工商行政管理局',
		1,
		['企业名称预先核准', '企业设立登记', '个体工商户登记', '企业变更登记']
	),
	V(
		'zjj',
		'市质量技术监督局',
		'Quality and Technical Supervision Bureau',
		'三明市质量技术监督局',
		0,
		['组织机构代码', '计量器具检定', '工业产品生产许可']
	),
	V('jjdd', '市公安局交通警察大队', 'Traffic Police Brigade', '三明市公安局交通警察支队', 2, [
		'机动车登记',
		'机动车驾驶证',
		'道路施工占道'
	]),
	V('glj', '市公路局', 'Highway Bureau', '福建省三明公路局', 2),
	V('gljz', '市公路稽征所', 'Highway Toll Collection Office', '三明市公路规费征收稽查处', 2),
	V('ygs', '市运输管理所', 'Road Transport Administration Office', '三明市运输管理处', 2, [
		'营运证',
		'机动车维修经营'
	]),
	V('ycj', '市烟草专卖局', 'Tobacco Monopoly Bureau', '三明市烟草专卖局', 0, [
		'烟草专卖零售许可证'
	]),
	V('qxj', '市气象局', 'Meteorological Bureau', '三明市气象局', 0, ['防雷装置设计审核']),
	V('yjj', '市药品监督管理局', 'Drug Administration', '三明市药品监督管理局', 1, [
		'药品经营许可证'
	]),
	V('dyj', '市电业局', 'Electric Power Bureau', '福建省电力有限公司三明电业局', 2),
	V('dxj', '市电信局', 'Telecom Bureau', '三明市电信分公司', 1),
	V('yzj', '市邮政局', 'Post Bureau', '三明市邮政局', 0),
	V(
		'rmyh',
		'中国人民银行永安市支行',
		'People’s Bank of China, Yong’an Sub-branch',
		'中国人民银行三明市中心支行',
		0
	)
];

export const DEPARTMENTS: readonly DemoDepartment[] = [...MUNICIPAL, ...VERTICAL];

/** The departments with a window in the service center: the handbook's and the cases'. */
export const CENTER_DEPARTMENTS = DEPARTMENTS.filter((d) => d.subjects && d.subjects.length > 0);

/** What an item does with its subject: approvals first, then services. */
export const ITEM_ACTIONS: readonly { suffix: string; kind: 'approval' | 'service' }[] = [
	{ suffix: '审批', kind: 'approval' },
	{ suffix: '核准', kind: 'approval' },
	{ suffix: '变更', kind: 'approval' },
	{ suffix: '延续', kind: 'approval' },
	{ suffix: '年检', kind: 'approval' },
	{ suffix: '注销', kind: 'service' },
	{ suffix: '备案', kind: 'service' },
	{ suffix: '补办', kind: 'service' },
	{ suffix: '证明', kind: 'service' },
	{ suffix: '咨询服务', kind: 'service' }
];

export const PREREQUISITES: readonly string[] = [
	'申请书',
	'营业执照副本复印件',
	'法定代表人身份证明',
	'组织机构代码证复印件',
	'税务登记证复印件',
	'场地使用证明',
	'房屋产权证明或租赁合同',
	'验资报告',
	'章程',
	'项目可行性研究报告',
	'环境影响评价文件',
	'消防验收意见书',
	'卫生许可证',
	'从业人员资格证书',
	'安全生产管理制度',
	'设计图纸',
	'土地使用证明',
	'规划许可证',
	'上级主管部门批准文件',
	'委托书及受托人身份证明',
	'近期免冠照片',
	'户口簿',
	'完税证明',
	'检测报告'
];

/** The city's townships and sub-districts (乡镇街道). */
export const TOWNSHIPS: readonly string[] = [
	'燕东街道',
	'燕西街道',
	'燕南街道',
	'燕北街道',
	'西洋镇',
	'贡川镇',
	'安砂镇',
	'小陶镇',
	'大湖镇',
	'曹远镇',
	'洪田镇',
	'槐南镇',
	'上坪乡',
	'罗坊乡',
	'青水畲族乡'
];

/** Industries, with the word an enterprise's name uses and how common they are. */
export const INDUSTRIES: readonly { name: string; word: readonly string[]; weight: number }[] = [
	{ name: '林产加工', word: ['木业', '林产', '人造板'], weight: 6 },
	{ name: '竹制品', word: ['竹业', '竹制品', '笋业'], weight: 5 },
	{ name: '纺织化纤', word: ['纺织', '化纤', '织造'], weight: 4 },
	{ name: '化工', word: ['化工', '精细化工'], weight: 3 },
	{ name: '机械制造', word: ['机械', '机电', '汽车配件'], weight: 4 },
	{ name: '建材', word: ['水泥', '建材', '石材'], weight: 4 },
	{ name: '煤炭采选', word: ['煤业', '矿业'], weight: 2 },
	{ name: '食品加工', word: ['食品', '茶业', '酒业'], weight: 3 },
	{ name: '商贸', word: ['商贸', '贸易', '物资'], weight: 6 },
	{ name: '交通运输', word: ['运输', '物流', '汽车运输'], weight: 3 },
	{ name: '建筑', word: ['建筑工程', '建设', '装饰工程'], weight: 4 },
	{ name: '住宿餐饮', word: ['酒店', '餐饮', '宾馆'], weight: 2 }
];

/** Trade names (字号) are two of these characters. */
export const TRADE_NAME_CHARS =
	'华永安金林凯鑫福燕闽嘉盛兴宏达昌顺源丰泰隆恒瑞新德利益旺荣祥星辉明通';

export const SURNAMES = '陈林黄张李王吴刘蔡杨郑赖邱罗叶周谢邓余曾肖范魏雷廖'.split('');
export const GIVEN_NAME_CHARS = '建国明华秀英志强丽红伟芳德福文金玉春海平清梅龙辉永兴'.split('');

/** Complaint categories as the hotline's system words them, and how common they are. */
export const COMPLAINT_TOPICS: readonly (readonly [string, number])[] = [
	['超时限未办结', 5],
	['乱收费', 4],
	['罚款不开票据', 2],
	['接案不出警', 1],
	['推诿扯皮', 3],
	['服务态度差', 3],
	['吃拿卡要', 1]
];

/** Complaint channels (COMPLAINT_CHANNELS) and how often each is used. */
export const COMPLAINT_CHANNEL_WEIGHTS = [
	['hotline', 6],
	['letter', 2],
	['walk_in', 3],
	['visit', 2],
	['online', 1]
] as const;

/** Inspection findings: a source, a description and whether it is a deduction or a bonus. */
export const FINDING_TEXTS: readonly {
	source: 'special_inspection' | 'undercover_visit' | 'onsite_measurement' | 'task_supervision';
	text: string;
	bonus: boolean;
}[] = [
	{ source: 'undercover_visit', text: '明察暗访：窗口工作人员上班时间脱岗', bonus: false },
	{ source: 'undercover_visit', text: '明察暗访：办事群众反映一次性告知不到位', bonus: false },
	{ source: 'special_inspection', text: '项目组工作专项督查：重点项目审批环节滞后', bonus: false },
	{ source: 'onsite_measurement', text: '现场测评：服务态度生硬，测评满意率偏低', bonus: false },
	{ source: 'task_supervision', text: '督办事项未按期办结', bonus: false },
	{
		source: 'special_inspection',
		text: '优化发展环境会议精神落实情况督查：措施不具体',
		bonus: false
	},
	{ source: 'task_supervision', text: '重点联系企业问题按期协调解决', bonus: true },
	{
		source: 'special_inspection',
		text: '行政审批制度改革成效明显，受到市政府通报表扬',
		bonus: true
	},
	{ source: 'onsite_measurement', text: '现场测评：服务规范，群众评价好', bonus: true }
];

/** Problems enterprises raise on visits (办事难的具体事例), by PROBLEM_CATEGORIES. */
export const PROBLEM_TEXTS: readonly { category: string; text: string }[] = [
	{ category: 'approval', text: '厂房扩建手续跑了多个部门，审批时间过长' },
	{ category: 'approval', text: '项目用地审批材料反复要求补正' },
	{ category: 'fees', text: '年检时被要求缴纳没有依据的服务费' },
	{ category: 'enforcement', text: '同一事项一个月内被不同部门重复检查' },
	{ category: 'inaction', text: '反映的道路问题多个部门互相推诿' },
	{ category: 'attitude', text: '窗口人员态度生硬，不作一次性告知' },
	{ category: 'policy', text: '招商引资优惠政策承诺未兑现' },
	{ category: 'utilities', text: '工业园区供电不稳，影响生产' },
	{ category: 'other', text: '企业周边治安环境需要改善' }
];
