"""Held-back phrasings: statements worded the way other provinces' 部门整体支出/项目支出 self-evaluations and 决算
explanations word them (none taken from the seed or the real-dev excerpts).

Each case is one statement run through the whole pipeline (``extractor.extract``); every figure must come out
with its (metric, stage, value, unit), in reading order.  Indicator rows (metric ``indicator``) are checked apart,
in ``INDICATOR_CASES``.  A known miss stays ``xfail(strict=True)`` with the reason, so fixing it is noticed.
"""

from __future__ import annotations

import pytest

import extractor
from extractor import ingest

WY = "万元"


def rows(text: str, *, indicators: bool = False):
    out = extractor.extract(ingest.from_text(text))
    keep = [f for f in out if (f.metric == "indicator") == indicators]
    if indicators:
        return [(f.indicator_name, f.target, f.actual, f.met) for f in keep]
    return [(f.metric, f.stage, format(f.value, "f"), f.unit) for f in keep]


def case(id_, text, expected, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(text, expected, id=id_, marks=marks)


# ---------------------------------------------------------------- 决算 style: income, expenditure, balances
INCOME_EXPENDITURE = [
    case("juesuan-benian-shouru-zhichu-heji",
         "2023年度本年收入合计3,456.78万元，本年支出合计3,401.22万元。",
         [("income_total", "actual", "3456.78", WY), ("expenditure_total", "actual", "3401.22", WY)]),
    case("juesuan-shouru-zongji-up",
         "2023年度收入决算总计3,582.38万元，比上年增加212.40万元，增长6.30%。",
         [("income_total", "actual", "3582.38", WY), ("income_total", "change", "212.40", WY),
          ("growth_rate", "change", "6.30", "%")]),
    case("juesuan-zhichu-zongji-down",
         "2023年度支出决算总计3,401.22万元，比上年减少98.50万元，下降2.81%。",
         [("expenditure_total", "actual", "3401.22", WY), ("expenditure_total", "change", "98.50", WY),
          ("growth_rate", "change", "2.81", "%")]),
    case("juesuan-income-sources",
         "本年收入决算中，财政拨款收入3,100.00万元，事业收入256.78万元，其他收入100.00万元。",
         [("general_budget_appropriation", "actual", "3100.00", WY), ("other_income", "actual", "256.78", WY),
          ("other_income", "actual", "100.00", WY)]),
    case("shangji-buzhu-shouru",
         "上级补助收入决算50.00万元，附属单位上缴收入决算12.00万元。",
         [("other_income", "actual", "50.00", WY), ("other_income", "actual", "12.00", WY)]),
    case("yiban-gonggong-bokuan-zhichu-share",
         "一般公共预算财政拨款支出决算2,890.45万元，占本年支出合计的85.02%。",
         [("general_budget_appropriation", "actual", "2890.45", WY), ("other", "actual", "85.02", "%")]),
    case("caizheng-bokuan-shouru-zhichu",
         "2023年度财政拨款收入决算2,950.00万元，财政拨款支出决算2,890.45万元。",
         [("general_budget_appropriation", "actual", "2950.00", WY),
          ("general_budget_appropriation", "actual", "2890.45", WY)]),
    case("jijin-yusuan-bokuan-zhichu",
         "政府性基金预算财政拨款支出决算120.00万元。",
         [("fund_budget_appropriation", "actual", "120.00", WY)]),
    case("bokuan-initial-and-adjusted",
         "一般公共预算财政拨款年初预算2,800.00万元，调整后预算2,950.00万元。",
         [("general_budget_appropriation", "initial_budget", "2800.00", WY),
          ("general_budget_appropriation", "adjusted_budget", "2950.00", WY)]),
    case("nianchu-nianmo-jiezhuan-jieyu",
         "年初结转和结余125.60万元，年末结转和结余181.16万元。",
         [("carryover_opening", "actual", "125.60", WY), ("balance_closing", "actual", "181.16", WY)]),
    case("shangnian-jiezhuan-jieyu-zijin",
         "上年结转结余资金55.00万元全部用于项目支出。",
         [("carryover_opening", "actual", "55.00", WY)]),
    case("nianmo-jieyu-zijin",
         "年末结余资金181.16万元，主要为项目当年未完成支付的资金。",
         [("balance_closing", "actual", "181.16", WY)]),
    case("yuan-unit",
         "本年支出合计12,345,678.90元。",
         [("expenditure_total", "actual", "12345678.90", "元")]),
    case("yiyuan-unit",
         "部门整体支出决算1.25亿元。",
         [("expenditure_total", "actual", "1.25", "亿元")]),
]

# ---------------------------------------------------------------- basic / project expenditure
EXPENDITURE_PARTS = [
    case("basic-juesuan-with-parts",
         "本年基本支出决算2,100.30万元，其中人员经费1,850.20万元，公用经费250.10万元。",
         [("basic_expenditure", "actual", "2100.30", WY), ("personnel_expenditure", "actual", "1850.20", WY),
          ("public_expenditure", "actual", "250.10", WY)]),
    case("basic-nianchu-anpai-with-parts",
         "年初预算安排基本支出2,050.00万元，其中人员经费1,800.00万元，日常公用经费250.00万元。",
         [("basic_expenditure", "initial_budget", "2050.00", WY),
          ("personnel_expenditure", "initial_budget", "1800.00", WY),
          ("public_expenditure", "initial_budget", "250.00", WY)]),
    case("basic-and-project-shares",
         "基本支出决算2,100.30万元，占本年支出合计的61.75%；项目支出决算1,300.92万元，占38.25%。",
         [("basic_expenditure", "actual", "2100.30", WY), ("other", "actual", "61.75", "%"),
          ("project_expenditure", "actual", "1300.92", WY), ("other", "actual", "38.25", "%")]),
    case("gongzi-fuli-zhichu",
         "按经济分类，工资福利支出决算1,520.33万元。",
         [("personnel_expenditure", "actual", "1520.33", WY)]),
    case("project-share-of-total",
         "本年项目支出决算1,300.92万元，占本年支出合计的38.24%。",
         [("project_expenditure", "actual", "1300.92", WY), ("other", "actual", "38.24", "%")]),
    case("project-adjusted-actual-rate",
         "项目支出调整后预算1,450.00万元，实际支出1,300.92万元，预算执行率89.72%。",
         [("project_expenditure", "adjusted_budget", "1450.00", WY), ("project_expenditure", "actual", "1300.92", WY),
          ("execution_rate", "actual", "89.72", "%")]),
    case("bumen-shiji-zhichu-alone",
         "部门实际支出3,401.22万元。",
         [("expenditure_total", "actual", "3401.22", WY)]),
    case("caizheng-bokuan-shouru-then-shiji",
         "一般公共预算财政拨款收入年初预算2,800.00万元，实际收入2,950.00万元。",
         [("general_budget_appropriation", "initial_budget", "2800.00", WY),
          ("general_budget_appropriation", "actual", "2950.00", WY)]),
    case("quannian-yusuan-zhixingshu",
         "全年预算数3,520.00万元，全年执行数3,401.22万元，预算执行率96.63%。",
         [("expenditure_total", "adjusted_budget", "3520.00", WY), ("expenditure_total", "actual", "3401.22", WY),
          ("execution_rate", "actual", "96.63", "%")]),
]

# ---------------------------------------------------------------- execution, 到位率, 使用率
RATES = [
    case("execution-formula-written-out",
         "预算执行率=实际支出数/调整后预算数×100%=96.63%。",
         [("other", "none", "100", "%"), ("execution_rate", "actual", "96.63", "%")]),
    case("zhixing-jindu",
         "全年预算执行进度为96.63%。",
         [("execution_rate", "actual", "96.63", "%")]),
    case("zhichu-jindu",
         "截至12月31日，资金支出进度为95.20%。",
         [("execution_rate", "actual", "95.20", "%")]),
    case("zijin-zhixinglv",
         "项目资金执行率达到100%。",
         [("execution_rate", "actual", "100", "%")]),
    case("zijin-shiyonglv",
         "资金使用率98.50%。",
         [("execution_rate", "actual", "98.50", "%")]),
    case("zijin-daoweilv",
         "资金到位率100%。",
         [("other", "actual", "100", "%")]),  # no vocabulary metric for 资金到位率: other, but realised
    case("wancheng-yusuan-de",
         "“三公”经费预算数15.70万元，决算数12.50万元，完成预算的79.62%。",
         [("three_public_total", "initial_budget", "15.70", WY), ("three_public_total", "actual", "12.50", WY),
          ("execution_rate", "actual", "79.62", "%")]),
    case("tongbi-xiajiang",
         "部门整体支出同比下降4.5%。",
         [("growth_rate", "change", "4.5", "%")]),
]

# ---------------------------------------------------------------- 三公
THREE_PUBLIC = [
    case("sangong-caizheng-bokuan-juesuan-vs-nianchu",
         "2023年度“三公”经费财政拨款支出决算为12.50万元，比年初预算减少3.20万元。",
         [("three_public_total", "actual", "12.50", WY), ("three_public_total", "change", "3.20", WY)]),
    case("sangong-parts-after-juesuan",
         "“三公”经费财政拨款支出决算中，公务用车运行维护费8.30万元，公务接待费4.20万元。",
         [("three_public_vehicle_operation", "actual", "8.30", WY), ("three_public_reception", "actual", "4.20", WY)]),
    case("sangong-parts-after-year-juesuan",
         "2023年度一般公共预算财政拨款“三公”经费支出决算中，公务接待费3.10万元。",
         [("three_public_reception", "actual", "3.10", WY)]),
    case("chuguo-zero-chiping",
         "因公出国（境）费决算为0万元，与上年持平。",
         [("three_public_overseas", "actual", "0", WY)]),
    case("chuguo-jingfei-paren-ascii",
         "因公出国(境)经费年初预算2.00万元，决算0.00万元。",
         [("three_public_overseas", "initial_budget", "2.00", WY), ("three_public_overseas", "actual", "0.00", WY)]),
    case("gouzhi-fei-and-cars",
         "公务用车购置费决算25.00万元，购置公务用车1辆。",
         [("three_public_vehicle_purchase", "actual", "25.00", WY), ("other", "none", "1", "辆")]),
    case("vehicle-ji-yunxing-with-parts",
         "公务用车购置及运行维护费决算9.80万元，其中公务用车购置费0万元，公务用车运行维护费9.80万元。",
         [("three_public_vehicle", "actual", "9.80", WY), ("three_public_vehicle_purchase", "actual", "0", WY),
          ("three_public_vehicle_operation", "actual", "9.80", WY)]),
    case("jiedai-pici-renci",
         "公务接待费决算4.20万元，共接待国内来访团组35批次、412人次。",
         [("three_public_reception", "actual", "4.20", WY), ("other", "none", "35", "批次"),
          ("other", "none", "412", "人次")]),
    case("sangong-bi-yusuan-jianshao",
         "“三公”经费支出决算比预算减少3.20万元，主要原因是厉行节约。",
         [("three_public_total", "change", "3.20", WY)]),
    case("sangong-jiao-shangnian-xiajiang",
         "“三公”经费支出较上年下降18.6%。",
         [("growth_rate", "change", "18.6", "%")]),
    case("gongche-yunxing-weihu-only",
         "公务用车运行维护费支出决算6.45万元，主要用于车辆燃料、维修和保险。",
         [("three_public_vehicle_operation", "actual", "6.45", WY)]),
]

# ---------------------------------------------------------------- 政府采购
PROCUREMENT = [
    case("caigou-zonge-with-three-kinds",
         "2023年度政府采购支出总额560.40万元，其中：政府采购货物支出120.30万元、政府采购工程支出300.00万元、"
         "政府采购服务支出140.10万元。",
         [("procurement_total", "none", "560.40", WY), ("procurement_goods", "none", "120.30", WY),
          ("procurement_works", "none", "300.00", WY), ("procurement_services", "none", "140.10", WY)]),
    case("caigou-hetong-huowulei",
         "政府采购合同金额560.40万元，其中货物类120.30万元，工程类300.00万元，服务类140.10万元。",
         [("procurement_total", "actual", "560.40", WY), ("procurement_goods", "actual", "120.30", WY),
          ("procurement_works", "actual", "300.00", WY), ("procurement_services", "actual", "140.10", WY)]),
    case("zhongxiao-and-xiaowei",
         "授予中小企业合同金额420.00万元，其中授予小微企业合同金额380.00万元。",
         [("procurement_sme", "actual", "420.00", WY), ("procurement_sme", "actual", "380.00", WY)]),
    case("zhongxiao-share-of-caigou",
         "授予中小企业合同金额420.00万元，占政府采购支出总额的74.95%。",
         [("procurement_sme", "actual", "420.00", WY), ("other", "actual", "74.95", "%")]),
    case("nianchu-yusuan-share",
         "年初预算安排项目支出1,200.00万元，占部门全部支出的比重为35.20%。",
         [("project_expenditure", "initial_budget", "1200.00", WY), ("other", "initial_budget", "35.20", "%")]),
    case("caigou-yusuan-vs-shiji",
         "政府采购预算600.00万元，实际采购金额560.40万元。",
         [("procurement_total", "initial_budget", "600.00", WY), ("procurement_total", "actual", "560.40", WY)]),
]

# ---------------------------------------------------------------- 国有资产
ASSETS = [
    case("zichan-zonge-guding-yuanzhi",
         "截至2023年12月31日，资产总额1,234.56万元，其中固定资产原值890.12万元。",
         [("assets_total", "actual", "1234.56", WY), ("fixed_assets_total", "actual", "890.12", WY)]),
    case("guding-jingzhi",
         "固定资产净值456.78万元。",
         [("fixed_assets_total", "actual", "456.78", WY)]),
    case("nianmo-zichan-zongji",
         "年末资产总计2,345.67万元。",
         [("assets_total", "actual", "2345.67", WY)]),
    case("xin-gouzhi-guding-zichan",
         "本年新购置固定资产120.00万元。",
         [("fixed_assets_added", "actual", "120.00", WY)]),
    case("cheliang-counts",
         "本单位共有车辆5辆，其中一般公务用车3辆，执法执勤用车2辆。",
         [("other", "none", "5", "辆"), ("other", "none", "3", "辆"), ("other", "none", "2", "辆")]),
]

# ---------------------------------------------------------------- 人员
STAFF = [
    case("hedin-bianzhi-ming-shiyou-zaizhi",
         "本单位核定编制45名，实有在职人员42人，离退休人员18人。",
         [("staff_authorized", "none", "45", "名"), ("staff_actual", "none", "42", "人"),
          ("staff_retired", "none", "18", "人")]),
    case("bare-bianzhi",
         "编制10名，实有在职12人。",
         [("staff_authorized", "none", "10", "名"), ("staff_actual", "none", "12", "人")]),
    case("xingzheng-shiye-bianzhi",
         "行政编制12名，事业编制30名。",
         [("staff_authorized", "none", "12", "名"), ("staff_authorized", "none", "30", "名")]),
    case("nianmo-shiyou-renshu-parts",
         "年末实有人数48人，其中在职人员40人，退休人员8人。",
         [("staff_actual", "none", "48", "人"), ("staff_actual", "none", "40", "人"), ("staff_retired", "none", "8", "人")]),
    case("bianzhi-as-a-verb-is-no-staff-count",
         "该项目共编制12个绩效目标指标。",
         [("other", "none", "12", "个")]),
    case("bianwai-gongyixing-gangwei",
         "另有编外聘用人员6人，公益性岗位人员4人。",
         [("staff_contract", "none", "6", "人"), ("staff_contract", "none", "4", "人")]),
    case("lixiu-tuixiu-ganbu",
         "现有离休干部2人，退休干部15人。",
         [("staff_retired", "none", "2", "人"), ("staff_retired", "none", "15", "人")]),
]

# ---------------------------------------------------------------- 项目 funds
PROJECT = [
    case("zongtouzi-with-fund-sources",
         "该项目总投资1,500.00万元，其中中央补助资金800.00万元，省级资金400.00万元，县级配套资金300.00万元。",
         [("project_total", "none", "1500.00", WY), ("other", "none", "800.00", WY), ("other", "none", "400.00", WY),
          ("other", "none", "300.00", WY)]),
    case("daowei-zhifu-jieyu",
         "截至年底，项目资金实际到位1,450.00万元，已支付1,380.00万元，结余70.00万元。",
         [("project_total", "actual", "1450.00", WY), ("project_total", "actual", "1380.00", WY),
          ("unspent_budget", "actual", "70.00", WY)]),
    case("nianchu-tiaozheng-zhixing",
         "项目年初预算200.00万元，全年预算调整为180.00万元，全年执行数175.50万元，执行率97.50%。",
         [("project_total", "initial_budget", "200.00", WY), ("project_total", "adjusted_budget", "180.00", WY),
          ("project_total", "actual", "175.50", WY), ("execution_rate", "actual", "97.50", "%")]),
    case("xiangmu-jieyu-shangjiao",
         "项目资金结余5.20万元，已按规定上缴财政。",
         [("unspent_budget", "actual", "5.20", WY)]),
    case("xiangmu-yusuan-ge",
         "年初安排项目支出预算12个，金额1,200.00万元。",
         [("project_count", "none", "12", "个"), ("project_expenditure", "initial_budget", "1200.00", WY)]),
    case("xiangmu-yusuan-ge-sheji-zijin",
         "调整后项目支出预算共15个，涉及资金1,350.00万元。",
         [("project_count", "none", "15", "个"), ("project_expenditure", "adjusted_budget", "1350.00", WY)]),
]

# ---------------------------------------------------------------- indicator rates
INDICATOR_RATES = [
    case("qunzhong-manyidu-target-then-actual",
         "群众满意度≥90%，实际达到95%。",
         [("satisfaction_rate", "none", "90", "%"), ("satisfaction_rate", "actual", "95", "%")]),
    case("wanchenglv-buditu-then-shiji",
         "项目完成率不低于95%，实际实现100%。",
         [("completion_rate", "none", "95", "%"), ("completion_rate", "actual", "100", "%")]),
    case("fuwu-duixiang-manyidu",
         "服务对象满意度达到96.5%。",
         [("satisfaction_rate", "actual", "96.5", "%")]),
    case("shouyi-qunzhong-manyilv",
         "受益群众满意率98%。",
         [("satisfaction_rate", "actual", "98", "%")]),
    case("renwu-wanchenglv",
         "任务完成率100%。",
         [("completion_rate", "actual", "100", "%")]),
    case("yanshou-hegelv",
         "项目验收合格率100%。",
         [("completion_rate", "actual", "100", "%")]),
    case("plan-actual-count-and-rate",
         "计划培训500人次，实际完成520人次，完成率104%。",
         [("other", "none", "500", "人次"), ("other", "actual", "520", "人次"),
          ("completion_rate", "actual", "104", "%")]),
]

# ---------------------------------------------------------------- budget adjustments, 决算 sub-items, more synonyms
MORE = [
    case("shouru-zhichu-yusuanshu",
         "2023年度收入预算数为3,500.00万元，支出预算数为3,500.00万元。",
         [("income_total", "initial_budget", "3500.00", WY), ("expenditure_total", "initial_budget", "3500.00", WY)]),
    case("bumen-yusuan-zhuijia-tiaozheng",
         "年初部门预算安排3,200.00万元，年中追加预算300.00万元，调整后预算3,500.00万元。",
         [("expenditure_total", "initial_budget", "3200.00", WY), ("expenditure_total", "change", "300.00", WY),
          ("expenditure_total", "adjusted_budget", "3500.00", WY)]),
    case("xiangmu-tiaojian-yusuan",
         "项目年初预算100.00万元，年中调减预算20.00万元。",
         [("project_total", "initial_budget", "100.00", WY), ("project_total", "change", "20.00", WY)]),
    case("jiguan-yunxing-jingfei-is-not-total",
         "机关运行经费支出120.50万元，比上年减少8.30万元。",
         [("other", "none", "120.50", WY), ("other", "change", "8.30", WY)]),
    case("bokuan-jiben-zhichu-juesuan",
         "一般公共预算财政拨款基本支出决算2,100.30万元。",
         [("basic_expenditure", "actual", "2100.30", WY)]),
    case("renyuan-gongyong-fenbiewei",
         "人员经费和公用经费决算数分别为1,850.20万元、250.10万元。",
         [("personnel_expenditure", "actual", "1850.20", WY), ("public_expenditure", "actual", "250.10", WY)]),
    case("jiezhuan-xianian",
         "年末结转下年资金70.00万元。",
         [("balance_closing", "actual", "70.00", WY)]),
    case("guding-zongzhi",
         "固定资产总值890.12万元。",
         [("fixed_assets_total", "actual", "890.12", WY)]),
    case("zaizhi-tuixiu-zhigong",
         "在职职工52人，退休职工20人。",
         [("staff_actual", "none", "52", "人"), ("staff_retired", "none", "20", "人")]),
    case("caigou-jihua-jine",
         "政府采购计划金额600.00万元，实际采购金额560.40万元。",
         [("procurement_total", "initial_budget", "600.00", WY), ("procurement_total", "actual", "560.40", WY)]),
    case("daoweilv-and-zhixinglv",
         "项目资金到位率为100%，资金执行率为98.6%。",
         [("other", "actual", "100", "%"), ("execution_rate", "actual", "98.6", "%")]),
    case("zhifulv",
         "截至年底，资金支付率96%。",
         [("execution_rate", "actual", "96", "%")]),
    case("jixiao-mubiao-wanchenglv",
         "年度绩效目标完成率为95%。",
         [("completion_rate", "actual", "95", "%")]),
    case("shouyi-duixiang-manyidu-wei",
         "受益对象满意度为97.3%。",
         [("satisfaction_rate", "actual", "97.3", "%")]),
    case("zhixinglv-tigao-baifendian",
         "预算执行率为98.72%，较上年提高2.1个百分点。",
         [("execution_rate", "actual", "98.72", "%"), ("execution_rate", "change", "2.1", "百分点")]),
    case("manyidu-xiajiang-baifendian",
         "服务对象满意度为95%，比上年下降1.5个百分点。",
         [("satisfaction_rate", "actual", "95", "%"), ("satisfaction_rate", "change", "1.5", "百分点")]),
    case("shengji-xiada-zhuanxiang",
         "省级财政下达专项资金500.00万元。",
         [("project_total", "adjusted_budget", "500.00", WY)]),
    case("zonghe-pingfen",
         "综合评分92分。",
         [("score_total", "none", "92", "分")]),
    case("zipingjieguo-fen",
         "本年度项目支出绩效自评结果为91.5分。",
         [("score_total", "none", "91.5", "分")]),
    case("caizheng-bokuan-jiezhuan-jieyu",
         "年初财政拨款结转和结余30.00万元，年末财政拨款结转和结余60.00万元。",
         [("carryover_opening", "actual", "30.00", WY), ("balance_closing", "actual", "60.00", WY)]),
    case("jingji-fenlei-items-are-not-total",
         "会议费支出决算3.20万元，培训费支出决算5.60万元，资本性支出决算80.00万元。",
         [("other", "actual", "3.20", WY), ("other", "actual", "5.60", WY), ("other", "actual", "80.00", WY)]),
    case("gongneng-fenlei-items-are-not-total",
         "一般公共服务支出决算1,200.00万元，社会保障和就业支出决算300.00万元。",
         [("other", "actual", "1200.00", WY), ("other", "actual", "300.00", WY)]),
    case("sangong-zhan-yusuan-bili",
         "“三公”经费支出占预算的比例为79.6%。",
         [("execution_rate", "actual", "79.6", "%")]),
    case("jihua-zongtouzi-leiji-wancheng",
         "项目计划总投资1,500.00万元，累计完成投资1,200.00万元，投资完成率80%。",
         [("project_total", "initial_budget", "1500.00", WY), ("project_total", "actual", "1200.00", WY),
          ("completion_rate", "actual", "80", "%")]),
    case("leiji-bofu-zijin",
         "全年累计拨付资金1,380.00万元。",
         [("other", "actual", "1380.00", WY)]),
]

ALL = INCOME_EXPENDITURE + EXPENDITURE_PARTS + RATES + THREE_PUBLIC + PROCUREMENT + ASSETS + STAFF + PROJECT + INDICATOR_RATES + MORE


@pytest.mark.parametrize("text, expected", ALL)
def test_heldback_statement(text, expected):
    assert rows(text) == expected


# (id, text, expected indicator rows (name, target, actual, met))
INDICATOR_CASES = [
    case("manyidu-yishang",
         "群众满意度达到95%以上。",
         [("群众满意度", None, "95", True)]),
    case("manyidu-dadao-is-met-actual",
         "服务对象满意度达到96.5%。",
         [("服务对象满意度", None, "96.5", True)]),
    case("manyidu-bound-is-target-then-actual",
         "群众满意度≥90%，实际达到95%。",
         [("群众满意度", "90", None, None), ("满意度", None, "95", True)]),
    case("wanchenglv-shixian",
         "全年任务完成率实现100%。",
         [("全年任务完成率", None, "100", True)]),
    case("hegelv-dacheng",
         "工程验收合格率达成100%。",
         [("工程验收合格率", None, "100", True)]),
]


@pytest.mark.parametrize("text, expected", INDICATOR_CASES)
def test_heldback_indicator_rows(text, expected):
    assert rows(text, indicators=True) == expected
