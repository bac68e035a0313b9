// Example departments for a new installation, after a county-level city like the one the product
// was made for (Yong'an, Fujian): enough to try the pages before importing the real list.
import type { CreateDepartment } from './index';

type Example = Omit<CreateDepartment, 'fromYear'>;

export const EXAMPLE_DEPARTMENTS: readonly Example[] = [
	{
		code: 'fgj',
		nameZh: '市发展和改革局',
		nameEn: 'Development and Reform Bureau',
		category: 'municipal'
	},
	{ code: 'czj', nameZh: '市财政局', nameEn: 'Finance Bureau', category: 'municipal' },
	{ code: 'jyj', nameZh: '市教育局', nameEn: 'Education Bureau', category: 'municipal' },
	{ code: 'gaj', nameZh: '市公安局', nameEn: 'Public Security Bureau', category: 'municipal' },
	{ code: 'jtj', nameZh: '市交通局', nameEn: 'Transport Bureau', category: 'municipal' },
	{ code: 'jsj', nameZh: '市建设局', nameEn: 'Construction Bureau', category: 'municipal' },
	{
		code: 'ldj',
		nameZh: '市劳动和社会保障局',
		nameEn: 'Labour and Social Security Bureau',
		category: 'municipal'
	},
	{
		code: 'gsj',
		nameZh: '市国家税务局',
		nameEn: 'State Taxation Bureau',
		category: 'vertical',
		superiorAuthority: '三明市国家税务局'
	},
	{
		code: 'gsgl',
		nameZh: '市工商行政管理局',
		nameEn: 'Administration for Industry and Commerce',
		category: 'vertical',
		superiorAuthority: '三明市工商行政管理局'
	},
	{
		code: 'zjj',
		nameZh: '市质量技术监督局',
		nameEn: 'Quality and Technical Supervision Bureau',
		category: 'vertical',
		superiorAuthority: '三明市质量技术监督局'
	},
	{
		code: 'ycj',
		nameZh: '市烟草专卖局',
		nameEn: 'Tobacco Monopoly Bureau',
		category: 'vertical',
		superiorAuthority: '三明市烟草专卖局'
	},
	{
		code: 'qxj',
		nameZh: '市气象局',
		nameEn: 'Meteorological Bureau',
		category: 'vertical',
		superiorAuthority: '三明市气象局'
	}
];
