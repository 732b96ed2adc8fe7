print("threadpress")
