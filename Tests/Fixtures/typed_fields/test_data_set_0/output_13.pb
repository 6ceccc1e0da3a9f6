2hello2
ünïcödeBout_t_string