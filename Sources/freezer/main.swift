print("freezer")
