BlogitsJpðþ>§'?<Î
7¿L)J?AlÆ¾ÊÞ'¿