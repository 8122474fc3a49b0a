"""帮助 › 使用说明 (a Chinese guide inside the program: no browser, works offline) and 关于.

The scoring page is written from the rule sets themselves (places, the lower-is-better rule, bands, grades, the
execution cap), so it says what the program really does under each rule set.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QMessageBox, QTextBrowser, QWidget

from selfeval_gui import APP_TITLE, __version__
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent
from selfeval_gui.domain.rules import REVERSE_RULES, RuleSet, get_rule_set, rule_set_ids
from selfeval_gui.domain.vocabulary import COMPUTED_SCORE, ENTERED_SCORE, GRADE_LABELS
from selfeval_gui.paths import user_data_dir
from selfeval_gui.ui.window import help_pages

log = logging.getLogger(__name__)

TITLE = "使用说明"

FILLING = f"""
<h2>填写表格</h2>
<p>窗口从上到下就是纸质的《项目支出绩效自评表》：标题、表头（项目名称、主管部门、实施单位、项目负责人、联系电话）、
项目资金、年度总体目标、绩效指标、总分和填表信息。</p>
<ol>
<li>新建（文件 › 新建 › 空白表…）时选择模板、评价年度（默认是上一年）、地区和评分规则；以后可在
“文件 › 表格设置…”或标题右侧的“年度、地区、模板…”里修改，可以撤销。</li>
<li>填写表头和项目资金：年初预算数、全年预算数、全年执行数（万元，最多6位小数，即到分）。执行率和{COMPUTED_SCORE}由程序计算；
表上写的得分填在“{ENTERED_SCORE}”里。</li>
<li>填写年度总体目标的预期目标和实际完成情况。</li>
<li>在绩效指标表里为每个二级指标添加三级指标，填写年度指标值、实际完成值、分值和{ENTERED_SCORE}；
程序在旁边显示{COMPUTED_SCORE}。定性指标（如“及时”“符合规范”）可以选择完成等级
（达成 / 部分达成 / 未达成），程序据此核对得分是否在该等级的分数段内。</li>
<li>未完成指标、得分低于分值、或实际值超出指标值很多时，填写偏差原因分析及改进措施。</li>
</ol>
<p>右侧“检查结果”随时列出问题：<b>错误</b>（如得分超过分值、资金分项合计不符）必须改正才能输出正式文件；
<b>警告</b>和<b>提示</b>请核对。还没填的必填项显示为“未填”（灰色，如“还有 12 项未填”）；第一次保存、打印、导出或定稿时，
它们变成错误。点一条检查结果会跳到对应的格子。</p>
<p>屏幕较矮时，可以点绩效指标右上方的“收起上方”，把表头、项目资金和年度总体目标收起，给指标表更多空间；
跳到上方的检查结果会自动展开。</p>
"""

KEYS = """
<h2>按键</h2>
<table border="1" cellspacing="0" cellpadding="4">
<tr><th>按键</th><th>作用</th></tr>
<tr><td>直接输入 / 双击 / F2</td><td>修改当前格子</td></tr>
<tr><td>回车、Tab</td><td>保存这一格并跳到下一格（Shift+Tab 回到上一格）</td></tr>
<tr><td>Shift+回车 或 Ctrl+回车</td><td>在多行的格子里换行（三级指标、年度指标值、实际完成值、偏差原因）</td></tr>
<tr><td>Esc</td><td>放弃这一格正在输入的内容</td></tr>
<tr><td>Insert</td><td>在所选位置下方添加三级指标</td></tr>
<tr><td>Delete、Backspace</td><td>清空所选的格子（可以先用 Shift+方向键 或拖动鼠标选多个格子）</td></tr>
<tr><td>Ctrl+C / Ctrl+V</td><td>复制 / 粘贴所选的格子；从 Excel、WPS 复制的多行多列，从所选格子起依次填入，
每个值按该格的规则检查，不合规则的不记入并列出</td></tr>
<tr><td>Ctrl+Delete 或 Ctrl+-</td><td>删除所选三级指标整行（状态栏说明删除了哪一行，Ctrl+Z 可恢复）</td></tr>
<tr><td>Ctrl+↑ / Ctrl+↓</td><td>上移 / 下移三级指标</td></tr>
<tr><td>Ctrl+Z / Ctrl+Y</td><td>撤销 / 重做</td></tr>
<tr><td>Ctrl+N / Ctrl+O / Ctrl+S</td><td>新建 / 打开 / 保存</td></tr>
<tr><td>Ctrl+P</td><td>打印（先预览）</td></tr>
<tr><td>F1</td><td>本说明</td></tr>
</table>
<p>输入的数字不合规则（如负数、小数位太多）时，格子变红并说明原因，检查结果最上面也会列出；
改正之前，计算仍使用原来的值。</p>
"""

OUTPUT = """
<h2>草稿和定稿</h2>
<p>导出 PDF、导出 Excel 和打印之前，程序先检查：没有错误时输出<b>正式</b>文件；有错误时列出错误，
可以“返回修改”，也可以“输出草稿”——草稿每页标有“草稿”，最后一页列出检查结果，不能作为正式报送材料。</p>
<p><b>定稿</b>（文件 › 定稿…）：没有错误时才能定稿。定稿后表格只读，文件记录定稿时间、填表人和内容指纹；
正式 PDF 的页脚印有同一个指纹，纸质盖章件可以与电子文件对应。需要修改时用“文件 › 撤销定稿…”。
定稿后可用“文件 › 导出报送材料…”一次导出正式 PDF、Excel 和表单文件。</p>
"""


def _places(n: int) -> str:
    return "取整数" if n == 0 else f"保留 {n} 位小数"


def _rule_set_html(rs: RuleSet) -> str:
    bands = "；".join(
        f"{GRADE_LABELS[k]}：分值的 {fmt_percent(lo, 0)}～{fmt_percent(hi, 0)}"
        for k, (lo, hi) in rs.qualitative_bands.items()
        if k in GRADE_LABELS
    )
    grades = "，".join(f"{name} ≥ {fmt_decimal(low)}" for name, low in rs.grades)
    if rs.execution_cap:
        cap = "；".join(
            f"执行率 ≥ {fmt_percent(low, 0)} 时总分最高 {fmt_decimal(top) if top is not None else '不限'}"
            for low, top in rs.execution_cap
        )
    else:
        cap = "不按执行率封顶"
    rows = [
        ("执行率", f"全年执行数 ÷ 全年预算数，百分数{_places(rs.rate_places)}"),
        ("预算执行得分", f"执行率 × 分值，不超过分值，{_places(rs.budget_score_places)}"),
        ("正向指标（≥、不低于、达到、区间）", "实际值 ≥ 指标值：满分；否则 实际值 ÷ 指标值 × 分值（区间按下限）"),
        ("反向指标（≤、不高于、控制在）", f"实际值 ≤ 指标值：满分；否则 {REVERSE_RULES[rs.reverse_rule]}"),
        ("定性指标", f"按所选完成等级填报得分，须在范围内：{bands}"),
        ("指标得分", _places(rs.indicator_score_places)),
        ("总分", f"预算执行得分 + 各三级指标得分，{_places(rs.total_places)}；{cap}"),
        ("等级", grades),
        (
            "偏差说明",
            f"未完成、得分低于分值、或超出指标值 {fmt_percent(rs.over_achievement, 0)} 以上时必须填写；"
            f"执行率低于 {fmt_percent(rs.execution_note_below, 0)} 时须填写资金执行偏差说明",
        ),
    ]
    body = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>" for a, b in rows)
    return (
        f"<h3>{html.escape(rs.name)}（{html.escape(rs.id)}）</h3>"
        f"<table border='1' cellspacing='0' cellpadding='4'>{body}</table>"
    )


def scoring_html() -> str:
    intro = (
        f"<h2>得分怎么算</h2><p>每张表使用一套评分规则（文件 › 表格设置…）。{COMPUTED_SCORE}按下面的公式计算，"
        f"与{ENTERED_SCORE}不同时标红并在检查结果中说明。不能自动计算的指标（定性指标、看不懂的指标值）"
        f"按{ENTERED_SCORE}计入总分，但限制在 0～分值 和完成等级的范围内。</p>"
    )
    return intro + "".join(_rule_set_html(get_rule_set(rid)) for rid in rule_set_ids())


def files_html() -> str:
    data = user_data_dir()
    return f"""
<h2>文件保存在哪里</h2>
<ul>
<li><b>自评表</b>：保存在您选择的位置，扩展名 .json；保存时旧版本留作同名的 .bak 文件。</li>
<li><b>自动保存</b>：每 30 秒保存到 {html.escape(str(data / "autosave"))}；程序意外关闭后，下次启动会提示恢复。</li>
<li><b>错误日志</b>：{html.escape(str(data / "logs"))}（出现问题时请把这里的文件发给信息技术人员）。</li>
<li><b>设置和最近打开的文件</b>：{html.escape(str(data / "settings.json"))}。</li>
<li>便携版（程序旁有 portable.txt）把以上内容放在程序旁的 userdata 文件夹里。</li>
</ul>
"""


PAGES = (
    ("填写表格", lambda: FILLING),
    ("按键", lambda: KEYS),
    ("得分怎么算", scoring_html),
    ("草稿和定稿", lambda: OUTPUT),
    ("打印", lambda: help_pages.PRINTING),
    ("Excel 和复制粘贴", lambda: help_pages.EXCEL),
    ("全部项目和汇总", lambda: help_pages.FOLDER),
    ("文件保存在哪里", files_html),
)


class HelpWindow(QDialog):
    """The guide: its pages listed on the left, the page on the right; opens on the first page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{TITLE} — {APP_TITLE}")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.pages = QListWidget()
        self.pages.addItems([title for title, _ in PAGES])
        self.pages.setFixedWidth(self.pages.sizeHintForColumn(0) + 24)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        lay = QHBoxLayout(self)
        lay.addWidget(self.pages)
        lay.addWidget(self.text, 1)
        self.pages.currentRowChanged.connect(self.show_page)
        self.pages.setCurrentRow(0)
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(min(820, screen.width() - 40) if screen else 820, min(620, screen.height() - 60) if screen else 620)

    def show_page(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.text.setHtml(PAGES[row][1]())

    def page_title(self) -> str:
        item = self.pages.currentItem()
        return item.text() if item else ""


def about_text() -> str:
    rule_sets = "\n".join(f"  · {get_rule_set(rid).name}（{rid}）" for rid in rule_set_ids())
    return (
        f"{APP_TITLE}  版本 {__version__}\n\n填写、核对并打印《项目支出绩效自评表》。\n\n"
        f"评分规则：\n{rule_sets}\n\n数据文件夹（设置、自动保存、错误日志）：\n{user_data_dir()}"
    )


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, "关于", about_text())
