"""项目支出绩效自评表 填报工具."""

__version__ = "0.1.0"
APP_NAME = "SelfEval"
APP_TITLE = "项目支出绩效自评表"
