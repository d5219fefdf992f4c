"""The bot's fixed Chinese messages, kept together so the wording reads as one voice.

Every message is valid Telegram HTML: placeholders are filled with escaped text.
"""

GREETING = "你好，{name}！我是问答机器人，回答关于已收录新闻文章的问题。直接把问题发给我就行。"
GREETING_GROUP = (
    "你好，{name}！我是问答机器人，回答关于已收录新闻文章的问题。"
    "在群里请 @{bot} 加上问题，或者回复我的消息；群里的其他消息我不会回复。"
)
EXAMPLES = "可以试试这样问："
HELP = (
    "<b>使用方法</b>\n"
    "• 私聊：直接发送问题，或者用 /ask 问题。\n"
    "• 群聊：用 /ask 问题，或 @{bot} 加上问题，或回复我的消息。\n"
    "• 回答下方的「下一页 ▶」显示其他结果，「原文」显示答案在文章中的上下文。\n"
    "• 问题里写出公司、产品、时间等关键词，答案会更准。\n"
    "• 找不到确切答案时我会直接说明；有相关的句子时，会附上最接近的一句供参考。\n\n"
    "命令：/ask 提问 · /start 示例问题 · /stats 索引统计 · /help 帮助"
)
HELP_GROUP = (
    "<b>在群里这样问我</b>\n"
    "• @{bot} 加上问题，例如 <code>@{bot} 第三季度营收是多少？</code>\n"
    "• 或者回复我的消息，或者用 /ask 问题。\n"
    "• 群里的其他消息我不会回复。\n"
    "• 回答下方的「下一页 ▶」显示其他结果，「原文」显示答案在文章中的上下文。\n\n"
    "命令：/ask 提问 · /stats 索引统计 · /help 帮助"
)
ASK_USAGE = "用法：在 /ask 后面写上问题，例如 <code>/ask 第三季度营收是多少？</code>"
TEXT_ONLY = "我只能回答文字问题，请把问题用文字发给我。"
QUESTION_CUT = "（问题超过 {limit} 字，只按前 {limit} 字检索。）"
SLOW_DOWN = "提问太快了，请 {seconds} 秒后再问。在那之前发来的问题我不会回答。"
NOT_FOUND = "没有在已收录的文章里找到答案。可以换个说法，或者用文章里可能出现的词再问一次。"
NOT_FOUND_NEAREST = "没有找到确切的答案。最接近的一句（不一定回答了你的问题）："
UNKNOWN_COMMAND = "不认识这个命令。发送 /help 查看用法。"
ERROR = "抱歉，处理这条消息时出错了，请稍后再试。"
UNSENT_REPLY = "（抱歉，之前有一条回复因为网络问题没能发出。如果还需要，请再问一次。）"
BUTTON_PREVIOUS = "◀ 上一页"
BUTTON_NEXT = "下一页 ▶"
PAGE = "第 {number}/{pages} 页"
LAST_PAGE = "第 {number}/{pages} 页，最后一页"
BUTTON_PASSAGE = "原文"
SECTION_MARK = "【{section}】"
BUTTON_EXPIRED = "这个按钮已经过期了，请重新提问。"
INLINE_NOT_FOUND = "没有找到答案"
INLINE_NOT_FOUND_HINT = "换个说法，或者用文章里可能出现的词再试"
INLINE_EXAMPLE = "示例问题：点一下发送答案"
PASSAGE_GONE = "这段原文已不在索引里了（文章已更新或删除）。"
NOT_ADMIN = "只有管理员可以重建索引。"
REINDEX_BUSY = "索引正在重建中，请等它完成。"
REINDEX_STARTED = "开始重建索引…"
REINDEX_PROGRESS = "正在重建索引：已处理 {done}/{total} 个文件\n{path}"
REINDEX_DONE = (
    "<b>索引重建完成</b>，用时 {seconds:.1f} 秒\n"
    "文件：新增 {added}，更新 {changed}，删除 {removed}，未变 {unchanged}，跳过 {skipped}\n"
    "现有：{documents} 篇文档，{passages} 段，{sentences} 句，{figures} 个数字"
)
REINDEX_SKIPPED = "跳过 {path}：{reason}"
REINDEX_FAILED = "重建索引失败：{detail}\n仍在使用原来的索引。"
SMALL_TALK = {
    "greeting": "你好！有什么关于新闻的问题，直接问我就行。",
    "thanks": "不客气！还有问题随时问我。",
    "laughter": "😄",
}

RELATED = "相关："

STATS = (
    "<b>索引统计</b>\n"
    "文档 {documents} 篇 · 段落 {passages} · 句子 {sentences} · 数字 {figures}\n"
    "上次建索引：{built}，用时 {seconds:.1f} 秒\n"
    "启动以来：回答 {answered} 个问题，其中 {not_found} 个未找到答案"
)
SOURCE = "来源：{source}"
# Dates: an article's (来源) and when the index was built (/stats, in the operators' zone).
DATE_FULL = "{year}年{month}月{day}日"
DATE_MONTH = "{year}年{month}月"
DATE_SHORT = "{month}月{day}日"
TODAY = "今天"
YESTERDAY = "昨天"
UNKNOWN_TIME = "未知"

# /unanswered (admins): the questions the bot kept refusing.
UNANSWERED_NOT_ADMIN = "只有管理员可以查看没答上的问题。"
UNANSWERED_NONE = "最近 {days} 天没有答不上来的问题。"
UNANSWERED_TITLE = "<b>最近 {days} 天没答上的问题</b>（按提问次数）"
UNANSWERED_LINE = "{number}. {question}\n　　{times} 次，最近一次：{when}"
UNANSWERED_HINT = "把能回答这些问题的文章放进文章文件夹（或直接把文件发给我），再 /reindex。"

# What Telegram shows about the bot: on its profile, before the first message, and the
# command menus (descriptions at most 512 and 120 characters, commands 256).
DESCRIPTION = (
    "问答机器人：回答关于已收录新闻文章的问题，给出原文中的句子、出处和其中的数字"
    "（营收、用户数、增长率……）。文章里没有的，我会直说没找到。\n\n"
    "私聊直接发问题；在群里 @我 加上问题，或者回复我的消息。"
)
SHORT_DESCRIPTION = "用已收录的新闻文章回答你的问题，附上原句、出处和数字。"
COMMANDS = {
    "ask": "提问，例如 /ask 第三季度营收是多少",
    "start": "开始，看看示例问题",
    "help": "使用帮助",
    "stats": "索引统计",
    "reindex": "管理员：重建索引（/reindex full 全部重建）",
    "unanswered": "管理员：最近没答上的问题",
}

# Articles sent to the bot as files (admins, private chat).
UPLOAD_NOT_ADMIN = "只有管理员可以发文件来添加文章；我没有保存这个文件。"
UPLOAD_NO_NAME = "这个文件没有可用的文件名，没有保存。请改个名字再发。"
UPLOAD_BAD_TYPE = "只收 .txt、.md、.html、.json、.jsonl 格式的文章文件，{name} 没有保存。"
UPLOAD_RESERVED = "{name} 是文章文件夹里的配置文件名，不能这样上传，没有保存。"
UPLOAD_TOO_BIG = "文件太大（{size:.1f} MB），上限是 {limit} MB，没有保存。"
UPLOAD_BUSY = "索引正在重建中，请等它完成后再发文件；{name} 没有保存。"
UPLOAD_DOWNLOAD_FAILED = "下载 {name} 失败了，没有保存，请再发一次。"
UPLOAD_UNREADABLE = "无法读取 {name}，没有保存：{reason}"
UPLOAD_EMPTY = "{name} 里没有找到文章文字，没有保存。"
UPLOAD_SAVE_FAILED = "保存 {name} 失败了：{reason}"
UPLOAD_SAVED = "已保存 {name}。"
UPLOAD_REPLACED = "已保存 {name}，替换了原来的同名文件。"
