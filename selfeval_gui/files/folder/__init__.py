"""A unit's folder of forms: the list, batch outputs, the 汇总表, next year's drafts."""
