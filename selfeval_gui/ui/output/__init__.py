"""What leaves the window: PDF and printing, Excel, 定稿 and 报送材料, the check before output."""
