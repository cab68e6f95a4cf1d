target_sources(xacct_asl PRIVATE)
