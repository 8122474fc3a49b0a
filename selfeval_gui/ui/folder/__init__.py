"""The 项目一览 window: the folder's forms, batch export, 汇总表, next year."""
