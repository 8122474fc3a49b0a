"""The 绩效目标申报表 read into a draft 自评表 (reader.py)."""
