"""Case table for extractor.quantities: real phrasing (seed, real-dev excerpts), one row per case.

Expected quantities are written ``kind value unit [cmp] [×scale]`` and joined by `` ; ``;
``""`` means the text must stay silent.  Values are compared as exact Decimals.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from extractor import ingest, numerals, quantities
from extractor.errors import PatternError

# (id, text, expected)
CASES: list[tuple[str, str, str]] = [
    # ---- amounts, seed phrasing
    ("seed-income", "年初本单位收入预算 22,719.86 万元，全部为", "amount 22719.86 万元"),
    ("seed-increase", "比2019年增加17,019.31万元，增长率为298.56%", "amount 17019.31 万元 ; rate 298.56 %"),
    ("seed-yingcai", "2020 年增加了一项英才荟专项费用15,200.00 万元", "amount 15200.00 万元"),
    ("seed-adjusted", "调整后预算数 293,929.96 万元，其中", "amount 293929.96 万元"),
    ("seed-general", "一般公共预算财政拨款收入预算数 254,614.67 万元", "amount 254614.67 万元"),
    ("seed-fund", "政府性基金预算财政拨款收入预算数 39,315.28 万元", "amount 39315.28 万元"),
    ("seed-basic", "年初基本支出预算数 1,724.92 万元(人员经费预算数1,526.86 万元", "amount 1724.92 万元 ; amount 1526.86 万元"),
    ("seed-public", "日常公用经费预算数 198.06 万元)", "amount 198.06 万元"),
    ("seed-project", "年初项目支出预算数 20,994.94 万元，主要用于", "amount 20994.94 万元"),
    ("seed-capital", "其中基本建设类项目537.69 万元", "amount 537.69 万元"),
    ("seed-exec", "年度总支出 289,466.44 万元，剩余指标 4,463.51 万元，预算执行率是 98.48%", "amount 289466.44 万元 ; amount 4463.51 万元 ; rate 98.48 %"),
    ("seed-actual", "基本支出决算数1,540.23万元，其中人员经费决算数1,352.20万元", "amount 1540.23 万元 ; amount 1352.20 万元"),
    ("seed-carry", "年初结转和结余 170.24 万元，本年收入 289,296.28 万元", "amount 170.24 万元 ; amount 289296.28 万元"),
    ("seed-balance", "年末收支结余 0.076 万元；", "amount 0.076 万元"),
    ("seed-formula", "结余结转率=0.076万元/( 170.24万元+289,296.28万元)*100%=0.000026%", "amount 0.076 万元 = ; amount 170.24 万元 ; amount 289296.28 万元 ; rate 100 % ; rate 0.000026 % ="),
    ("seed-procure", "政府采购项目纳入2020年部门预算共计 223.40 万元", "amount 223.40 万元"),
    ("seed-goods", "其中政府采购货物预算 10.40 万元，政府采购服务预算 213.00 万元", "amount 10.40 万元 ; amount 213.00 万元"),
    ("seed-procure-actual", "政府采购支出决算数 743.00 万元，其中政府采购货物支出 7.87 万元", "amount 743.00 万元 ; amount 7.87 万元"),
    ("seed-sme", "政府采购授予中小企业合同金额 6.61 万元。", "amount 6.61 万元"),
    ("seed-sangong", "“三公”经费支出预算数 9.34 万元，其中因公出国（境）费用预算数 0.00 万元", "amount 9.34 万元 ; amount 0.00 万元"),
    ("seed-vehicle", "公务用车购置和运行维护费预算数 7.34 万元（主要用于 2 台车辆", "amount 7.34 万元 ; count 2 台"),
    ("seed-reception", "公务接待费预算数 2.00万元；", "amount 2.00 万元"),
    ("seed-assets", "资产负债简表的总额为4,451.72万元，实际在用", "amount 4451.72 万元"),
    ("seed-fixed-new", "本年新增固定资产 1,106.53 万元。", "amount 1106.53 万元"),
    ("seed-7200", "预计成熟型经营人才奖励支持7,200万元，成长型经营人才", "amount 7200 万元"),
    ("seed-4310", "实用型人才奖励支持 4,310 万元，商协会人才支持 90 万元", "amount 4310 万元 ; amount 90 万元"),
    ("seed-grant", "该项目经过审批获得财政拨款 8,799.78 万元", "amount 8799.78 万元"),
    ("seed-zero-left", "结余资金为0.00 万元。", "amount 0.00 万元"),
    ("seed-12710", "支持企业管理人才发展资金 12,710.00 万元、商协会人才支持资金 90.00 万元", "amount 12710.00 万元 ; amount 90.00 万元"),
    ("seed-reach", "年底企业及商协会人才支持资金支出达到 12,800.00 万元", "amount 12800.00 万元"),
    ("seed-wrapped-unit", "剩余指标 4,463.51 万\n\n元，预算执行率", "amount 4463.51 万元"),
    ("seed-wrapped-unit2", "服务支出 190.82 万\n元，政府采购", "amount 190.82 万元"),
    # ---- amounts, real-dev phrasing
    ("hh-985", "年初批复预算8个项目985万元(含1个年初结转结余项目50万元)", "count 8 个 ; amount 985 万元 ; count 1 个 ; amount 50 万元"),
    ("hh-861", "调整预算后项目预算861.46万元,年中增加8个项目", "amount 861.46 万元 ; count 8 个"),
    ("hh-334", "实际到位资金334.67万元。", "amount 334.67 万元"),
    ("hq-75", "教师专项工作补助经费合计75万元,已于本年度支出75万元,预算完成率100%", "amount 75 万元 ; amount 75 万元 ; rate 100 %"),
    ("hq-3624", "教育结余用于项目建设等合计3624.71万元", "amount 3624.71 万元"),
    ("xc-803", "部门预算总金额 803.74 万元其中:基本支出 757.49 万元,项目支出 46.25 万元", "amount 803.74 万元 ; amount 757.49 万元 ; amount 46.25 万元"),
    ("xp-2179", "农村公路通村道路建设项目计划投资2179万元", "amount 2179 万元"),
    ("xp-2113", "已完成拨付2113.63万元,执行率97%", "amount 2113.63 万元 ; rate 97 %"),
    ("dz-1077", "获得财政衔接资金共1077.56万元,其中:中央专项衔接资金630.2万元", "amount 1077.56 万元 ; amount 630.2 万元"),
    ("dz-18", "市级资金18万元。此外,预拨资金53.15万元", "amount 18 万元 ; amount 53.15 万元"),
    ("dy-10", "批复下达预算资金10万元。", "amount 10 万元"),
    ("qj-2364", "“三公”经费决算数2364万元,比上年决算数下降16.77 %", "amount 2364 万元 ; rate 16.77 %"),
    ("qj-995", "公车购置及运行费995万元(其中公务用车购置费38万元", "amount 995 万元 ; amount 38 万元"),
    ("fullwidth-comma", "调整后预算数 293，929.96 万元", "amount 293929.96 万元"),
    ("fullwidth-digits", "项目资金 ４５６．７８万元", "amount 456.78 万元"),
    ("traditional-unit", "項目資金 12.5 萬元", "amount 12.5 万元"),
    ("yi-yuan", "全年支出3.5亿元", "amount 3.5 亿元"),
    ("qian-yuan", "补助标准 800 千元", "amount 800 千元"),
    ("yuan", "人均补助 1,200 元", "amount 1200 元"),
    ("yuan-cell", "﹦ | 72890 | 元 | 72890", "amount 72890 元 = ; count 72890 _"),
    ("cn-amount", "计划投资五千万元", "amount 5000 万元"),
    ("cn-amount-yuan", "奖励一万二千元", "amount 12000 元"),
    ("cn-amount-yi", "总投资三亿元", "amount 3 亿元"),
    ("cn-amount-mixed-lingdian", "结余零点五万元", "amount 0.5 万元"),
    ("approx-yu", "带动投资300余万元", "amount 300 万元"),
    ("space-after-point", "支出 1,526. 86 万元", "amount 1526.86 万元"),
    ("heading-then-count", "1. 86个项目", "count 86 个"),
    ("comma-space", "合计 22, 719.86 万元", "amount 22719.86 万元"),
    ("amount-cmp-ge", "不低于 500 万元", "amount 500 万元 ≥"),
    ("amount-cmp-le", "控制在 10 万元以内", "amount 10 万元 ≤"),
    ("amount-neg", "差额 -3.2 万元", "amount -3.2 万元"),
    ("amount-decrease-word", "比上年减少 3.2 万元", "amount 3.2 万元"),
    # ---- rates
    ("rate-ascii", "预算执行率是 98.48%。", "rate 98.48 %"),
    ("rate-fullwidth", "预算执行率是 98.48％。", "rate 98.48 %"),
    ("rate-space", "下降16.77 %", "rate 16.77 %"),
    ("rate-tiny", "结余结转率为0.000026%", "rate 0.000026 %"),
    ("rate-922", "累计办结率达 92.2%。", "rate 92.2 %"),
    ("rate-satisfaction", "人才满意度达90%。", "rate 90 %"),
    ("rate-100", "固定资产利用率 100%。", "rate 100 %"),
    ("rate-100.00", "100.00% |", "rate 100.00 %"),
    ("rate-0.00", "0.00% |", "rate 0.00 %"),
    ("rate-cn", "执行率百分之九十八点四八", "rate 98.48 %"),
    ("rate-cn-int", "完成率百分之九十", "rate 90 %"),
    ("rate-cn-arabic", "达到百分之95", "rate 95 %"),
    ("rate-cn-hundred", "满意度达百分之百", "rate 100 %"),
    ("rate-cn-ge", "不低于百分之九十五", "rate 95 % ≥"),
    ("rate-cheng", "九成以上群众表示满意", "rate 90 %"),
    ("rate-cheng-8", "覆盖八成村庄", "rate 80 %"),
    ("rate-ge", "≥95%", "rate 95 % ≥"),
    ("rate-ge-ascii", ">=90%", "rate 90 % ≥"),
    ("rate-eq", "=100%", "rate 100 % ="),
    ("rate-gt", ">80%", "rate 80 % >"),
    ("rate-le", "≤5%", "rate 5 % ≤"),
    ("rate-bu-di-yu", "群众满意度不低于90%", "rate 90 % ≥"),
    ("rate-yi-shang", "满意度90%以上", "rate 90 % ≥"),
    ("rate-ji-yi-shang", "满意度95%及以上", "rate 95 % ≥"),
    ("rate-zhi-shao", "覆盖率至少80%", "rate 80 % ≥"),
    ("rate-bu-chao-guo", "偏差率不超过5%", "rate 5 % ≤"),
    ("rate-di-yu", "低于60%", "rate 60 % <"),
    ("rate-gao-yu", "高于85%", "rate 85 % >"),
    ("rate-percent-word", "≥100百分比", "rate 100 % ≥"),
    ("rate-cell-gap", "= |\n100 |\n% |", "rate 100 % ="),
    ("rate-cell-gap-trad", "﹦ | 100 | % | 100 | 20 | 19", "rate 100 % = ; count 100 _ ; count 20 _ ; count 19 _"),
    ("rate-cell-ge", "≥ | 95 | % | 95", "rate 95 % ≥ ; count 95 _"),
    ("rate-scrambled", "=100% 100% 10 10", "rate 100 % = ; rate 100 % ; count 10 _ ; count 10 _"),
    ("rate-neg", "增长率为-3.5%", "rate -3.5 %"),
    ("rate-range", "满意度90%-95%", "rate 90 % ≥ ; rate 95 % ≤"),
    # ---- ranges: two quantities, lower bound ≥ and upper bound ≤, both in the upper bound's unit
    ("amount-range-dash", "补助标准为每人10-20万元", "amount 10 万元 ≥ ; amount 20 万元 ≤"),
    ("amount-range-zhi", "单个项目资助 50 至 100 万元", "amount 50 万元 ≥ ; amount 100 万元 ≤"),
    ("amount-range-tilde", "每场活动经费1～3万元", "amount 1 万元 ≥ ; amount 3 万元 ≤"),
    ("count-range", "每批培训30-50人", "count 30 人 ≥ ; count 50 人 ≤"),
    ("subtraction-not-range", "结余 1000 - 800 万元", "count 1000 _ ; amount -800 万元"),
    ("descending-not-range", "由1000-800万元", "count 1000 _ ; amount 800 万元"),
    ("rate-down", "比上年决算数下降86.62%", "rate 86.62 %"),
    ("rate-85", "执行率 86.19%", "rate 86.19 %"),
    ("rate-below-90", "预算执行率未达到90%的需说明原因", "rate 90 %"),
    # ---- percentage points
    ("pp", "同比提高3.2个百分点", "percentage_points 3.2 百分点"),
    ("pp-no-ge", "下降 1.5 百分点", "percentage_points 1.5 百分点"),
    ("pp-cn", "提高两个百分点", "percentage_points 2 百分点"),
    ("pp-vs-rate", "执行率98.48%，提高2个百分点", "rate 98.48 % ; percentage_points 2 百分点"),
    # ---- counts, seed phrasing
    ("seed-workers", "同时增加 5 名劳务人员和 10 名在编人员", "count 5 名 ; count 10 名"),
    ("seed-staff", "事业编制总数 50 人，实有在编人数 42 人(自筹人员 6 人)，退休 9 人", "count 50 人 ; count 42 人 ; count 6 人 ; count 9 人"),
    ("seed-dispatch", "劳务派遣人员 15 人，财政供养人员控制率为 100%", "count 15 人 ; rate 100 %"),
    ("seed-projects", "新引进落户项目 52 个，为满足", "count 52 个"),
    ("seed-problems", "累计解决企业问题 2384 个，建立了", "count 2384 个"),
    ("seed-categories", "招商引智支持等 5 大类支持项目", "count 5 类"),
    ("seed-filings", "商协会备案项目 32 个、资金项目94 个", "count 32 个 ; count 94 个"),
    ("seed-streets", "10 个街道累计服务企业 4567 家，解决企业诉求 734 条", "count 10 个 ; count 4567 家 ; count 734 条"),
    ("seed-masks", "累计帮助辖区 1075 家企业成功对接购买口罩 319 万只", "count 1075 家 ; count 319 只 ×万"),
    ("seed-events", "线上线下开展宣讲活动 172 场", "count 172 场"),
    ("seed-leaflets", "发放政策汇编和宣传折页超 6 万份", "count 6 份 > ×万"),
    ("seed-people", "参与人数 92 万人次；", "count 92 人次 ×万"),
    ("seed-services", "知识产权相关专业服务 1570 人次等", "count 1570 人次"),
    ("pici-measure-word", "接待来访团组35批次、412人次", "count 35 批次 ; count 412 人次"),
    ("seed-talent", "认定一类福田英才 5 人，认定二类福田英才 10 人，认定三类福田英才 30 人", "count 5 人 ; count 10 人 ; count 30 人"),
    # ---- counts, real-dev phrasing
    ("hh-15", "实施项目共15个(含2023年转列暂付性款项项目5个)", "count 15 个 ; count 5 个"),
    ("hh-area", "总建筑面积约1000㎡,建筑层高约4.3m", "count 1000 平方米 ; count 4.3 米"),
    ("hh-screens", "174台拼接屏、30台主机工作站、4台工程级高清投影仪", "count 174 台 ; count 30 台 ; count 4 台"),
    ("hh-led", "25.29㎡P1.5LED显示屏", "count 25.29 平方米"),
    ("hq-35", "项目支出绩效自评项目35个,分为七个方面", "count 35 个 ; count 7 个"),
    ("xp-km", "实现新建村内道路、连通道路32.63公里", "count 32.63 公里"),
    ("xp-indicators", "其中一级指标3个,二级指标9个,三级指标12个", "count 3 个 ; count 9 个 ; count 12 个"),
    ("xp-households", "33个行政村26113户97401人出行难问题", "count 33 个 ; count 26113 户 ; count 97401 人"),
    ("mm-staff", "我局实有编制数 63 人,2021 年末在职人数 57 人", "count 63 人 ; count 57 人"),
    ("mm-units", "设 17 个内设 机构", "count 17 个"),
    ("dy-twice", "至少全年完成2次宣传", "count 2 次"),
    ("qj-cars", "分别为1辆和130辆", "count 1 辆 ; count 130 辆"),
    ("qs-words", "完成情况(100字以内)", "count 100 字 ≤"),
    ("qs-score", "预算执行情况(10分)", "count 10 分"),
    ("xc-one-project", "我单位共有 1 个项目批复了绩效目标", "count 1 个"),
    ("count-ge", "≥50个", "count 50 个 ≥"),
    ("count-bu-shao-yu", "培训不少于 3 次", "count 3 次 ≥"),
    ("count-yi-shang", "受益人数1000人以上", "count 1000 人 ≥"),
    ("count-scaled-space", "受益 2.5 万人", "count 2.5 人 ×万"),
    ("count-approx", "服务企业300余家", "count 300 家"),
    ("count-months", "建设周期 6 个月", "count 6 个月"),
    ("count-days", "办理时限压缩至 5 天", "count 5 天"),
    ("count-hours", "累计培训 120 小时", "count 120 小时"),
    ("count-tons", "清运垃圾 35.6 吨", "count 35.6 吨"),
    ("count-mu", "复垦土地 120 亩", "count 120 亩"),
    ("count-households", "帮扶脱贫户 86 户", "count 86 户"),
    ("count-schools", "新建学校 3 所", "count 3 所"),
    ("count-sets", "采购设备 12 台套", "count 12 台套"),
    ("count-cn", "一百二十个", "count 120 个"),
    ("count-cn-liang", "两个项目", "count 2 个"),
    ("count-cn-wan", "惠及三万人", "count 3 人 ×万"),
    ("count-cn-ming", "五名工作人员", "count 5 名"),
    ("count-fullwidth", "新增 ３２ 个", "count 32 个"),
    ("ratio-times", "增长2.5倍", "ratio 2.5 倍"),
    ("ratio-colon", "配比比例为1:2", "ratio 0.5 _"),
    ("scaled-bare", "访问量1.2万", "count 1.2 _ ×万"),
    # ---- bare numbers and table cells
    ("bare-cell", "总额 |\n238.93 |\n251.89 |", "count 238.93 _ ; count 251.89 _"),
    ("bare-yuan-scrambled", "250000.00 250000.00 215,457.6 10 8.62", "count 250000.00 _ ; count 250000.00 _ ; count 215457.6 _ ; count 10 _ ; count 8.62 _"),
    ("bare-negative-cell", "2016年比2015年增减%\n|\n-16.77\n|\n-86.62\n|", "count -16.77 _ ; count -86.62 _"),
    ("block-wanyuan", "单位：万元\n项目 | 预算数 | 执行数\n合计 | 238.93 | 251.89", "amount 238.93 万元 ; amount 251.89 万元"),
    ("block-paren", "年度预算数(万元) |\n年初预算 |\n238.93 |", "amount 238.93 万元"),
    ("block-yuan", "金额单位：元\n合计 1200.50", "amount 1200.50 元"),
    ("block-ends-at-sentence", "单位：万元。执行 12.5", "count 12.5 _"),
    ("block-trad", "項目資金 (萬元) | 年初預算數 | 7.29 |", "amount 7.29 万元"),
    ("block-closed-by-yuan", "（万元） | 7.29 | ﹦ | 72890 | 元 | 10.00 |", "amount 7.29 万元 ; amount 72890 元 = ; count 10.00 _"),
    ("block-closed-by-score", "资金(万元) | 238.93 | 绩效指标(90分) | 60 |", "amount 238.93 万元 ; count 90 分 ; count 60 _"),
    ("block-closed-by-indicators", "项目资金（万元） | 年初预算数\n年度资金总额 | 29,946.00 |\n完成项目个数 | 定量 | ≥1335 | 个 | 1358 | 25 |", "amount 29946.00 万元 ; count 1335 个 ≥ ; count 1358 _ ; count 25 _"),
    ("count-cell", "带动就业人数 | 定量 | ≥2260 | 人 | 2358", "count 2260 人 ≥ ; count 2358 _"),
    ("place-santai", "编报单位：三台县企业服务中心", ""),
    ("place-qitaihe", "七台河市财政局", ""),
    ("count-santai-vehicles", "购置三台车辆", "count 3 台"),
    ("cell-per-line-actual", "培训人次\n定量\n≥16\n人次\n16\n10", "count 16 人次 ≥ ; count 16 _ ; count 10 _"),
    ("next-line-starts-with-day-char", "| 562.84 | 528.51\n日常公用经费", "count 562.84 _ ; count 528.51 _"),
    ("next-line-starts-with-year-char", "合计 |\n238.93\n年初预算数", "count 238.93 _"),
    # ---- must stay silent: years and dates
    ("year", "2020 年", ""),
    ("year-du", "2020 年度", ""),
    ("year-glued", "比2019年增加", ""),
    ("year-heading", "（三）2020 年部门预算编制情况", ""),
    ("year-end", "2021 年末", ""),
    ("year-founded", "我局成立于 1958 年", ""),
    ("year-wrapped", "对2017\n\n年度预算资金使用", ""),
    ("year-masked", "20xx年我镇获得", ""),
    ("month-end", "年中（7 月底前）编报", ""),
    ("month-day", "截至 10 月 30 日", ""),
    ("april", "于次年 4 月底前开展", ""),
    ("date-cn", "于2022年12月6日至8日", ""),
    ("date-iso", "发布日期: 2025-04-29", ""),
    ("datetime", "时间:2023-03-30 17:56", ""),
    ("time-seconds", "2023-02-25 17:30:11", ""),
    ("month-range", "1-12月", ""),
    ("month-range-emdash", "全年1—12月累计", ""),
    ("month-range-zhi", "1至12月", ""),
    ("quarter-range-then-rate", "第1-3季度完成率95%", "rate 95 %"),
    ("as-of-date", "截止2022年12月8日", ""),
    # ---- must stay silent: document numbers
    ("wenhao-seed", "（福编［2012]4 号）规定", ""),
    ("wenhao-henan", "(豫财农〔2018〕130号)", ""),
    ("wenhao-xuchang", "(许发〔2021〕13 号)文件要求", ""),
    ("wenhao-maoming", "(茂财绩函〔2022〕2 号)要求", ""),
    ("wenhao-daying", "(大府办函〔2017〕75号)", ""),
    ("wenhao-daying2", "(大创文指办发〔2020〕1号)等", ""),
    ("wenhao-bracket", "〔2018〕34号", ""),
    ("index-number", "索引号: zsjfzzx/2025-00002", ""),
    # ---- must stay silent: headings and ordinals
    ("heading-cn", "一、部门（单位）基本情况", ""),
    ("heading-paren-cn", "（三）部门履职绩效情况", ""),
    ("heading-dot", "1.葆初心，深入开展政治思想建设", ""),
    ("heading-dot-5", "5.拓渠道，激发社会组织力量", ""),
    ("heading-dunhao", "1、财政衔接推进乡村振兴资金", ""),
    ("heading-paren", "（1）年初本单位支出预算数", ""),
    ("heading-paren-ascii", "(2)红河州一中心一平台", ""),
    ("heading-year", "1.2021 年工作计划", ""),
    ("heading-circled", "①项目立项", ""),
    ("title-number", "农村项目绩效自评报告1\n", ""),
    ("ordinal-juan", "《习近平谈治国理政》第三卷专题学习", ""),
    ("ordinal-arabic", "第3卷", ""),
    ("ordinal-rank", "排名第 2 名", ""),
    ("congress", "十九届二中、三中、四中、五中全会精神", ""),
    ("congress-19", "党的十九大", ""),
    ("school-names", "一中、二中学校自聘教师工作经费", ""),
    ("first-second", "一是加强预算编制；二是完善", ""),
    ("class-names", "认定二类福田英才", ""),
    ("article-one", "增加了一项英才荟专项费用", ""),
    ("article-one-ge", "构建一个平台", ""),
    ("quoted-name", "牢固树立“四个意识”、坚定“四个自信”", ""),
    ("quoted-rules", "落实“八项规定”", ""),
    ("three-big", "“三大新引擎”为总牵引", ""),
    ("six-dbs", "一中心一平台六大库N应用经费", ""),
    ("sangong", "“三公”经费", ""),
    # ---- must stay silent: versions, codes, phones, anniversaries
    ("version", "以福田英才荟 2.0 等市区人才政策为参考", ""),
    ("version-ban", "智慧党建2.0版上线", ""),
    ("version-v", "系统升级至V3.1", ""),
    ("code-project", "51000021R000000019951-工资性支出", ""),
    ("code-report", "报表编号:510000_0013zp", ""),
    ("code-wechat", "微信公眾號:yn2553", ""),
    ("code-qq", "QQ公眾號:800061629", ""),
    ("phone-landline", "咨询电话：0755-83912345", ""),
    ("phone-mobile", "联系人 13812345678", ""),
    ("long-digits", "统一社会信用代码 123456789012345678", ""),
    ("anniversary", "深圳经济特区建立 40 周年庆祝大会", ""),
    ("page-marker", "总分 -1- 偏差原因", ""),
    ("led-code", "P1.5LED显示屏", ""),
    ("tech-5g", "新建5G基站", ""),
    ("tech-3d", "采购3D打印设备2台", "count 2 台"),
    ("hotline", "12345政务服务便民热线", ""),
    ("landline-paren", "联系方式（0755）83912345", ""),
    ("quarter", "1季度完成", ""),
    # ---- must stay silent: no numbers at all
    ("prose", "本单位资金管理、费用标准、支付符合有关制度规定", ""),
    ("very", "十分重要", ""),
    ("yuan-service", "以政府“元服务”为主导", ""),
    ("wan-word", "万众一心，千方百计", ""),
    ("cheng-word", "完成建成成本成效", ""),
    ("yi-cheng-bu-bian", "一成不变", ""),
    ("once", "一次性补助", ""),
]


def _expected(spec: str) -> list[tuple]:
    out = []
    for part in [p.strip() for p in spec.split(";") if p.strip()]:
        toks = part.split()
        kind, value, unit = toks[0], toks[1], toks[2]
        cmp = next((t for t in toks[3:] if t in {"≥", "≤", ">", "<", "="}), None)
        scale = next((t[1:] for t in toks[3:] if t.startswith("×")), None)
        out.append((kind, Decimal(value), "" if unit == "_" else unit, cmp, scale))
    return out


def _got(text: str) -> list[tuple]:
    return [(q.kind, q.value, q.unit, q.comparator, q.scale) for q in quantities.find_in(text)]


@pytest.mark.parametrize("text,spec", [(t, s) for _, t, s in CASES], ids=[i for i, _, _ in CASES])
def test_case(text, spec):
    got = _got(text)
    want = _expected(spec)
    assert [(k, v, u, c, s) for k, v, u, c, s in got] == want
    # exact: the value's own digits, not just numeric equality (22719.86 ≠ 22719.860)
    assert [str(g[1]) for g in got] == [str(w[1]) for w in want]


def test_table_is_large_enough():
    assert len(CASES) >= 200
    assert len({i for i, _, _ in CASES}) == len(CASES), "case ids must be unique"
    assert sum(1 for _, _, s in CASES if not s) >= 50  # the negatives


# ---- fields beyond kind/value/unit


def test_decimals_text_and_normalized_amounts():
    (q,) = quantities.find_in("调整后预算数 22,719.86 万元")
    assert (q.text, q.decimals, q.value_yuan, q.value_wanyuan) == ("22,719.86", 2, Decimal("227198600"), Decimal("22719.86"))
    (q,) = quantities.find_in("支持7,200万元")
    assert q.decimals == 0
    (q,) = quantities.find_in("结余 0.076 万元")
    assert (q.decimals, q.value_yuan) == (3, Decimal("760"))
    (q,) = quantities.find_in("卫片执法补助经费 72890 元")
    assert q.value_wanyuan == Decimal("7.2890") and str(q.value_wanyuan) == "7.2890"
    (q,) = quantities.find_in("计划投资五千万元")
    assert (q.text, q.decimals, q.value_yuan) == ("五千", 0, Decimal("50000000"))
    (q,) = quantities.find_in("全年支出3.5亿元")
    assert (q.value_wanyuan, q.value_yuan) == (Decimal("35000"), Decimal("350000000"))


def test_rates_have_no_amount_fields_and_cheng_precision():
    (q,) = quantities.find_in("执行率 98.48%")
    assert q.value_yuan is None and q.value_wanyuan is None and q.decimals == 2
    (q,) = quantities.find_in("九成群众")
    assert (q.value, q.decimals, q.text) == (Decimal(90), -1, "九")


def test_spans_and_surface():
    text = "预算执行率是 98.48%，剩余指标 4,463.51 万元"
    qs = quantities.find_in(text, offset=100)
    assert [q.surface for q in qs] == ["98.48%", "4,463.51 万元"]
    for q in qs:
        assert text[q.span.start - 100 : q.span.end - 100] == q.surface
        assert q.span.doc_id == ""


def test_rule_ids_name_the_pattern():
    rules = {q.rule for q in quantities.find_in("执行率98.48%，结余 0.07 万元，服务 5 人，访问 1.2万，百分之九十，三个，合计 10")}
    assert rules == {"number.rate", "number.amount", "number.count", "number.scaled", "number.rate_chinese", "number.count_chinese", "number.bare"}


def test_bare_numbers_are_low_confidence_counts():
    (q,) = quantities.find_in("合计 | 100 |")
    assert (q.kind, q.unit, q.rule, q.confidence, q.unit_source) == ("count", "", "number.bare", 0.5, "inline")
    (q,) = quantities.find_in("单位：万元\n合计 100")
    assert (q.kind, q.unit, q.unit_source, q.confidence) == ("amount", "万元", "block", 0.7)


# ---- parse (one cell or fragment)

PARSE = [
    ("238.93", None, ("count", "238.93", "")),
    ("238.93", "万元", ("amount", "238.93", "万元")),
    (" 238.93 ", "（万元）", ("amount", "238.93", "万元")),
    ("100.00%", "万元", ("rate", "100.00", "%")),
    ("≥95%", None, ("rate", "95", "%")),
    (">=90%", None, ("rate", "90", "%")),
    ("=100%", None, ("rate", "100", "%")),
    ("72890", "元", ("amount", "72890", "元")),
    ("215,457.6", None, ("count", "215457.6", "")),
    ("10万元", None, ("amount", "10", "万元")),
    ("≥50个", None, ("count", "50", "个")),
    ("≥100百分比", None, ("rate", "100", "%")),
    ("-16.77", None, ("count", "-16.77", "")),
    ("至少全年完成2次宣传", None, ("count", "2", "次")),
    ("95", "%", ("rate", "95", "%")),
    ("12", "人", ("count", "12", "人")),
    ("7.29", "项目资金(萬元)", ("amount", "7.29", "万元")),
    ("1-12月", None, None),
    ("及时", None, None),
    ("2020年", None, None),
    ("", None, None),
    ("—", None, None),
]


@pytest.mark.parametrize("cell,default_unit,want", PARSE, ids=[f"{c or 'empty'}|{d}" for c, d, _ in PARSE])
def test_parse(cell, default_unit, want):
    q = quantities.parse(cell, default_unit=default_unit)
    if want is None:
        assert q is None
        return
    assert (q.kind, str(q.value), q.unit) == want
    assert q.span.doc_id == "" and cell[q.span.start : q.span.end] == q.surface
    if default_unit and q.kind == "amount" and q.rule == "number.bare":
        assert q.unit_source == "table_header"


# ---- document-level API, as_row and the CLI


def test_find_on_document_and_as_row():
    doc = ingest.from_text("本单位年初收入预算 22,719.86 万元。执行率 98.48%。\n")
    qs = quantities.find(doc)
    assert [q.span.start for q in qs] == sorted(q.span.start for q in qs)
    row = quantities.as_row(qs[0], doc)
    assert {"kind", "value", "unit", "value_wanyuan", "comparator", "page", "start", "end", "surface", "quote"} <= set(row)
    assert row["value"] == "22719.86" and row["value_wanyuan"] == "22719.86" and row["unit"] == "万元"
    assert doc.text[row["start"] : row["end"]] == row["surface"] and row["surface"] in row["quote"]
    json.dumps(row, ensure_ascii=False)


def test_cli_json(tmp_path, capsys):
    from extractor.cli import main

    f = tmp_path / "r.txt"
    f.write_text("年度总支出 289,466.44 万元，预算执行率是 98.48%。2020 年度。\n", encoding="utf-8")
    assert main(["quantities", str(f), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["value"], r["unit"]) for r in rows] == [("amount", "289466.44", "万元"), ("rate", "98.48", "%")]


def test_cli_table_and_missing_file(tmp_path, capsys):
    from extractor.cli import main

    f = tmp_path / "r.txt"
    f.write_text("项目绩效：解决企业问题 2384 个。\n", encoding="utf-8")  # a file with no report word at all is refused (not_a_report)
    assert main(["quantities", str(f)]) == 0
    assert "2384" in capsys.readouterr().out
    assert main(["quantities", str(tmp_path / "nope.txt")]) == 3


# ---- numerals (the cn2an wrapper)

NUMERALS = [
    ("五千万", "50000000", 0),
    ("一百二十", "120", 0),
    ("两千", "2000", 0),
    ("3.5亿", "350000000", 1),
    ("1.2万", "12000", 1),
    ("九十八点四八", "98.48", 2),
    ("零点零七六", "0.076", 3),
    ("二十万零三", "200003", 0),
    ("一千二百三十四亿五千六百七十八万九千零一十二", "123456789012", 0),
    ("壹佰贰拾", "120", 0),
    ("二〇二〇", "2020", 0),
    ("22,719.86", "22719.86", 2),
    ("293，929.96", "293929.96", 2),
    ("２２．５", "22.5", 1),
    ("-16.77", "-16.77", 2),
]


@pytest.mark.parametrize("s,value,decimals", NUMERALS, ids=[n[0] for n in NUMERALS])
def test_numerals(s, value, decimals):
    v, d = numerals.to_decimal(s)
    assert isinstance(v, Decimal) and v == Decimal(value) and d == decimals


@pytest.mark.parametrize("s", ["", "abc", "1.2.3", "点五", "九十点"])
def test_numerals_reject(s):
    with pytest.raises(numerals.NumeralError):
        numerals.to_decimal(s)


# ---- strict loading of numbers.yaml


def _write_variant(tmp_path, edit):
    from extractor.patterns import patterns_dir

    text = (patterns_dir() / "numbers.yaml").read_text(encoding="utf-8")
    (tmp_path / "numbers.yaml").write_text(edit(text), encoding="utf-8")
    return str(tmp_path)


@pytest.mark.parametrize(
    "edit,needle",
    [
        (lambda t: t.replace("  - id: number.bare\n", "  - id: number.bare\n    colour: red\n"), "number.bare"),
        (lambda t: t.replace("  - id: number.scaled\n", "  - id: number.bare\n"), "duplicate"),
        (lambda t: t.replace("{cmp_pre}", "{no_such_piece}", 1), "no_such_piece"),
        (lambda t: t.replace("rules: [number.bare, number.scaled]", "rules: [number.nope]"), "number.nope"),
        (lambda t: t.replace("examples: ['17:56', '17:30:11']", "examples: ['17:56', 'not a time']"), "mask.time"),
        (lambda t: t.replace("pieces:\n", "pieces:\n  d: '[0-9]'\n", 1), "duplicate key"),
    ],
    ids=["unknown-field", "duplicate-id", "unknown-piece", "unknown-rule-in-filter", "mask-example-not-masked", "duplicate-yaml-key"],
)
def test_strict_loading(tmp_path, edit, needle):
    directory = _write_variant(tmp_path, edit)
    with pytest.raises(PatternError) as exc:
        quantities.grammar(directory)
    assert "numbers.yaml" in str(exc.value) and needle in str(exc.value)


def test_filter_examples_are_silent():
    """Every example written beside a filter in numbers.yaml is indeed silenced."""
    from extractor.patterns import load

    spec = load("numbers", quantities.NumbersFile)
    for f in spec.filters:
        for ex in f.examples:
            got = [q for q in quantities.find_in(ex) if q.rule in (f.rules or [q.rule])]
            assert not got, f"{f.id}: {ex!r} gave {[q.surface for q in got]}"
