"""项目支出绩效自评表 填报工具."""

__version__ = "0.1.0"
APP_NAME = "SelfEval"  # the user data and cache folders' name
# The program's name where a clerk reads it: the window title, message boxes, the about box, the exe's description.
APP_TITLE = "绩效自评表填报工具"
APP_DESCRIPTION = "项目支出绩效自评表 填报工具"
