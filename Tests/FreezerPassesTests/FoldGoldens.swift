/// What FoldBatchNorm produced for every `FoldCase` before the fold was streamed (commit 5e0140a, whole-tensor
/// Double arrays): the streamed fold must reproduce it bit for bit (see `foldFingerprint`).
let foldGoldens: [String: String] = [
"conv/float32": """
ops Conv(x,W,B)
init W float32 [3, 2, 3, 3] 1259b5686286b321
init B float32 [3] 4856be2912e60504
init bn_scale float32 [3] 41d46f15ecaa28f
init bn_bias float32 [3] b7efdd416bb5ca52
init bn_mean float32 [3] 4a467ba31bebfc47
init bn_var float32 [3] dbff1cab530d2847
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'B': largest change = 9.21087
  bias 'B': largest rounding error = 1.94337e-07
  weight 'W': largest change = 8.31097
  weight 'W': largest rounding error = 2.30401e-07
""",
"conv/float16": """
ops Conv(x,W,B)
init W float16 [3, 2, 3, 3] 338c0cdaef0df301
init B float16 [3] 5b99f60bc2c5725
init bn_scale float16 [3] 16744852bc80fb1a
init bn_bias float16 [3] 574dc2e6d0523660
init bn_mean float16 [3] f9d88bbe348c3d81
init bn_var float16 [3] 447c6170b8a2d908
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'B': largest change = 9.21289
  bias 'B': largest rounding error = 0.00116429
  weight 'W': largest change = 8.3125
  weight 'W': largest rounding error = 0.00173377
""",
"conv/bfloat16": """
ops Conv(x,W,B)
init W bfloat16 [3, 2, 3, 3] 59ea968566c91622
init B bfloat16 [3] 17984a86e776685f
init bn_scale bfloat16 [3] c58e1871f44019c6
init bn_bias bfloat16 [3] aef6dafa839851b7
init bn_mean bfloat16 [3] 4722219c304cc91b
init bn_var bfloat16 [3] 86cb5e6c73ae182e
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'B': largest change = 9.23438
  bias 'B': largest rounding error = 0.00254727
  weight 'W': largest change = 8.3125
  weight 'W': largest rounding error = 0.0142436
""",
"conv/float64": """
ops Conv(x,W,B)
init W float64 [3, 2, 3, 3] 2baf32dd80bb94ab
init B float64 [3] 75d1f19cd9795999
init bn_scale float64 [3] c1257665971781e9
init bn_bias float64 [3] a8ec31d453d201ce
init bn_mean float64 [3] e1f055311dceab7f
init bn_var float64 [3] 29dc84ebd8988e2
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'B': largest change = 9.21087
  bias 'B': largest rounding error = 0
  weight 'W': largest change = 8.31097
  weight 'W': largest rounding error = 0
""",
"convWithoutBias/float32": """
ops Conv(x,W,conv_bias_folded)
init W float32 [3, 2, 3, 3] e489b2c695a09e1e
init bn_scale float32 [3] 41d46f15ecaa28f
init bn_bias float32 [3] b7efdd416bb5ca52
init bn_mean float32 [3] 4a467ba31bebfc47
init bn_var float32 [3] dbff1cab530d2847
init conv_bias_folded float32 [3] fe676111addbf0fc
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.36929
  bias 'conv_bias': largest rounding error = 2.5307e-08
  weight 'W': largest change = 6.98454
  weight 'W': largest rounding error = 1.66937e-07
""",
"convWithoutBias/float16": """
ops Conv(x,W,conv_bias_folded)
init W float16 [3, 2, 3, 3] 5bc0f7af879463e4
init bn_scale float16 [3] 16744852bc80fb1a
init bn_bias float16 [3] 574dc2e6d0523660
init bn_mean float16 [3] f9d88bbe348c3d81
init bn_var float16 [3] 447c6170b8a2d908
init conv_bias_folded float16 [3] ff0e7e935279404f
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.36914
  bias 'conv_bias': largest rounding error = 0.000519044
  weight 'W': largest change = 6.98828
  weight 'W': largest rounding error = 0.00142044
""",
"convWithoutBias/bfloat16": """
ops Conv(x,W,conv_bias_folded)
init W bfloat16 [3, 2, 3, 3] c369d72b187fd03c
init bn_scale bfloat16 [3] c58e1871f44019c6
init bn_bias bfloat16 [3] aef6dafa839851b7
init bn_mean bfloat16 [3] 4722219c304cc91b
init bn_var bfloat16 [3] 86cb5e6c73ae182e
init conv_bias_folded bfloat16 [3] 6adabb81369b4091
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.375
  bias 'conv_bias': largest rounding error = 0.00716661
  weight 'W': largest change = 6.98438
  weight 'W': largest rounding error = 0.014251
""",
"convWithoutBias/float64": """
ops Conv(x,W,conv_bias_folded)
init W float64 [3, 2, 3, 3] ec12765a46f01a86
init bn_scale float64 [3] c1257665971781e9
init bn_bias float64 [3] a8ec31d453d201ce
init bn_mean float64 [3] e1f055311dceab7f
init bn_var float64 [3] 29dc84ebd8988e2
init conv_bias_folded float64 [3] a134102a52953d59
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.36929
  bias 'conv_bias': largest rounding error = 0
  weight 'W': largest change = 6.98454
  weight 'W': largest rounding error = 0
""",
"convTransposeGrouped/float32": """
ops ConvTranspose(x,W,B)
init W float32 [4, 3, 2, 2] 6da3c721a3ec40e1
init B float32 [6] c0671e5ddb0e1707
init bn_scale float32 [6] d4c05a25581ee83b
init bn_bias float32 [6] d3539a53de8599b7
init bn_mean float32 [6] 63c1b359606a4338
init bn_var float32 [6] bb2aee5ccbef8804
change folded into ConvTranspose 'deconv' | 6 channels, ε = 9.999999747378752e-06; weight [4, 3, 2, 2], group 2 (output channels on weight axis 1) | ["bn", "deconv"]
  bias 'B': largest change = 3.4028
  bias 'B': largest rounding error = 2.16164e-08
  weight 'W': largest change = 4.37435
  weight 'W': largest rounding error = 9.83383e-08
""",
"convTransposeGrouped/float16": """
ops ConvTranspose(x,W,B)
init W float16 [4, 3, 2, 2] c27627175e94edc6
init B float16 [6] b89562f2a81bd059
init bn_scale float16 [6] 67edd168056eacc9
init bn_bias float16 [6] c102e2d9973dc812
init bn_mean float16 [6] 8844c1e1ebe9a23b
init bn_var float16 [6] a16dc11332bdfe12
change folded into ConvTranspose 'deconv' | 6 channels, ε = 9.999999747378752e-06; weight [4, 3, 2, 2], group 2 (output channels on weight axis 1) | ["bn", "deconv"]
  bias 'B': largest change = 3.40332
  bias 'B': largest rounding error = 0.000714722
  weight 'W': largest change = 4.37402
  weight 'W': largest rounding error = 0.000944983
""",
"convTransposeGrouped/bfloat16": """
ops ConvTranspose(x,W,B)
init W bfloat16 [4, 3, 2, 2] c93a5f4e383ede50
init B bfloat16 [6] 6771eb3a3882d7e4
init bn_scale bfloat16 [6] 4ca70356c92fe4e5
init bn_bias bfloat16 [6] 88edf2d13bc6add6
init bn_mean bfloat16 [6] 2ceb6d204d5a2bf2
init bn_var bfloat16 [6] 26b12756688ac241
change folded into ConvTranspose 'deconv' | 6 channels, ε = 9.999999747378752e-06; weight [4, 3, 2, 2], group 2 (output channels on weight axis 1) | ["bn", "deconv"]
  bias 'B': largest change = 3.40234
  bias 'B': largest rounding error = 0.00258412
  weight 'W': largest change = 4.375
  weight 'W': largest rounding error = 0.00757819
""",
"convTransposeGrouped/float64": """
ops ConvTranspose(x,W,B)
init W float64 [4, 3, 2, 2] 63e21989ff46c882
init B float64 [6] 3126a82aa81e706d
init bn_scale float64 [6] ddfd2428fa42d8aa
init bn_bias float64 [6] 8adf23ab0250490f
init bn_mean float64 [6] 2184b5a83f13a5f6
init bn_var float64 [6] 4e8e738ae2fe672b
change folded into ConvTranspose 'deconv' | 6 channels, ε = 9.999999747378752e-06; weight [4, 3, 2, 2], group 2 (output channels on weight axis 1) | ["bn", "deconv"]
  bias 'B': largest change = 3.4028
  bias 'B': largest rounding error = 0
  weight 'W': largest change = 4.37435
  weight 'W': largest rounding error = 0
""",
"gemm/float32": """
ops Gemm(x,Bw,C)
init Bw float32 [6, 5] aa9b572eddb9aba3
init C float32 [5] 500d4db2794adb01
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 1.63073
  bias 'C': largest rounding error = 5.31921e-08
  weight 'Bw': largest change = 4.11955
  weight 'Bw': largest rounding error = 1.13754e-07
""",
"gemm/float16": """
ops Gemm(x,Bw,C)
init Bw float16 [6, 5] e7eff6102e1a6848
init C float16 [5] 8879e83abee68329
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 1.63135
  bias 'C': largest rounding error = 0.000563353
  weight 'Bw': largest change = 4.12012
  weight 'Bw': largest rounding error = 0.000776415
""",
"gemm/bfloat16": """
ops Gemm(x,Bw,C)
init Bw bfloat16 [6, 5] 1b0c45887766003b
init C bfloat16 [5] d0cd08b25e4954d8
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 1.63281
  bias 'C': largest rounding error = 0.00249941
  weight 'Bw': largest change = 4.13281
  weight 'Bw': largest rounding error = 0.00725973
""",
"gemm/float64": """
ops Gemm(x,Bw,C)
init Bw float64 [6, 5] cd0414614972ecf6
init C float64 [5] f1c0224c83cbd77e
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 1.63073
  bias 'C': largest rounding error = 0
  weight 'Bw': largest change = 4.11955
  weight 'Bw': largest rounding error = 0
""",
"gemmTransB/float32": """
ops Gemm(x,Bw,C)
init Bw float32 [5, 6] 500122d745145fa5
init C float32 [5] 412d9f388ff330c8
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 1, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 4.67698
  bias 'C': largest rounding error = 8.56212e-08
  weight 'Bw': largest change = 5.00708
  weight 'Bw': largest rounding error = 1.10856e-07
""",
"gemmTransB/float16": """
ops Gemm(x,Bw,C)
init Bw float16 [5, 6] f259ebe1c7dd8b3e
init C float16 [5] 290b2c846c474be9
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 1, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 4.67676
  bias 'C': largest rounding error = 0.000298659
  weight 'Bw': largest change = 5.00586
  weight 'Bw': largest rounding error = 0.000886668
""",
"gemmTransB/bfloat16": """
ops Gemm(x,Bw,C)
init Bw bfloat16 [5, 6] 4d93897f2e8332a3
init C bfloat16 [5] 99182eb385916476
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 1, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 4.6875
  bias 'C': largest rounding error = 0.00730412
  weight 'Bw': largest change = 5.01562
  weight 'Bw': largest rounding error = 0.00737625
""",
"gemmTransB/float64": """
ops Gemm(x,Bw,C)
init Bw float64 [5, 6] c08f16e56102d712
init C float64 [5] cb0e9554c67a702a
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 1, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 4.67698
  bias 'C': largest rounding error = 0
  weight 'Bw': largest change = 5.00708
  weight 'Bw': largest rounding error = 0
""",
"gemmScalarC/float32": """
ops Gemm(x,Bw,C)
init Bw float32 [6, 5] 1ea37477b8c8bd75
init C float32 [5] ba6bdfd922934466
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 0.709104
  bias 'C': largest rounding error = 8.41553e-08
  weight 'Bw': largest change = 3.41998
  weight 'Bw': largest rounding error = 1.11888e-07
""",
"gemmScalarC/float16": """
ops Gemm(x,Bw,C)
init Bw float16 [6, 5] 7e03408f9bc15d3f
init C float16 [5] ed46ae405f88a6a
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 0.708984
  bias 'C': largest rounding error = 0.000538229
  weight 'Bw': largest change = 3.41992
  weight 'Bw': largest rounding error = 0.000972979
""",
"gemmScalarC/bfloat16": """
ops Gemm(x,Bw,C)
init Bw bfloat16 [6, 5] 4f91b451a74fd2ad
init C bfloat16 [5] 2a258f9fb98b02a8
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 0.710938
  bias 'C': largest rounding error = 0.0031078
  weight 'Bw': largest change = 3.42188
  weight 'Bw': largest rounding error = 0.00610023
""",
"gemmScalarC/float64": """
ops Gemm(x,Bw,C)
init Bw float64 [6, 5] a1d5d026022dce73
init C float64 [5] 9a5220b39ec5683a
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 0.709104
  bias 'C': largest rounding error = 0
  weight 'Bw': largest change = 3.41998
  weight 'Bw': largest rounding error = 0
""",
"gemmMatrixC/float32": """
ops Gemm(x,Bw,C)
init Bw float32 [6, 5] b71255217147be03
init C float32 [4, 5] f9fe91b2f1fc1ce6
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 3.17138
  bias 'C': largest rounding error = 1.08683e-07
  weight 'Bw': largest change = 5.16265
  weight 'Bw': largest rounding error = 7.75371e-08
""",
"gemmMatrixC/float16": """
ops Gemm(x,Bw,C)
init Bw float16 [6, 5] 3d341c7edf19d920
init C float16 [4, 5] 8e35688647b4860d
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 3.17188
  bias 'C': largest rounding error = 0.000461449
  weight 'Bw': largest change = 5.16211
  weight 'Bw': largest rounding error = 0.000565395
""",
"gemmMatrixC/bfloat16": """
ops Gemm(x,Bw,C)
init Bw bfloat16 [6, 5] a098a4c9bd99a0e1
init C bfloat16 [4, 5] af9d07dc1457ad2e
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 3.16406
  bias 'C': largest rounding error = 0.00598724
  weight 'Bw': largest change = 5.15625
  weight 'Bw': largest rounding error = 0.00578891
""",
"gemmMatrixC/float64": """
ops Gemm(x,Bw,C)
init Bw float64 [6, 5] e548fb3570d1a75f
init C float64 [4, 5] 109ccaf854205cd5
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
change folded into Gemm 'gemm' | 5 channels, ε = 9.999999747378752e-06; transB 0, alpha 0.75, beta 0.5 | ["bn", "gemm"]
  bias 'C': largest change = 3.17138
  bias 'C': largest rounding error = 0
  weight 'Bw': largest change = 5.16265
  weight 'Bw': largest rounding error = 0
""",
"matMul/float32": """
ops MatMul(x,W) Add(c,bn_bias_1)
init W float32 [6, 5] 15c32b7d20dc52f5
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
init bn_bias_1 float32 [5] eda0aa5a901c92c1
change folded into MatMul 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added as a new Add | ["bn", "mm"]
  bias 'bn_bias_1': added = 5 values
  weight 'W': largest change = 4.47493
  weight 'W': largest rounding error = 1.12737e-07
""",
"matMul/float16": """
ops MatMul(x,W) Add(c,bn_bias_1)
init W float16 [6, 5] d963ce06ff19d64
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
init bn_bias_1 float16 [5] 63dcb87995c5024f
change folded into MatMul 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added as a new Add | ["bn", "mm"]
  bias 'bn_bias_1': added = 5 values
  weight 'W': largest change = 4.47656
  weight 'W': largest rounding error = 0.000892253
""",
"matMul/bfloat16": """
ops MatMul(x,W) Add(c,bn_bias_1)
init W bfloat16 [6, 5] acafbc08c1ce8a3d
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
init bn_bias_1 bfloat16 [5] 974143e83d486c17
change folded into MatMul 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added as a new Add | ["bn", "mm"]
  bias 'bn_bias_1': added = 5 values
  weight 'W': largest change = 4.46094
  weight 'W': largest rounding error = 0.00663393
""",
"matMul/float64": """
ops MatMul(x,W) Add(c,bn_bias_1)
init W float64 [6, 5] def2c3f77ccd6bd4
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
init bn_bias_1 float64 [5] c6d1c7847b18ba02
change folded into MatMul 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added as a new Add | ["bn", "mm"]
  bias 'bn_bias_1': added = 5 values
  weight 'W': largest change = 4.47493
  weight 'W': largest rounding error = 0
""",
"matMulAddBiasRight/float32": """
ops MatMul(x,W) Add(mm,bias)
init W float32 [6, 5] 7bc5a431c59ce702
init bias float32 [5] e6a05fd3f0f43219
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 3.55164
  bias 'bias': largest rounding error = 5.94062e-08
  weight 'W': largest change = 4.12067
  weight 'W': largest rounding error = 1.08514e-07
""",
"matMulAddBiasRight/float16": """
ops MatMul(x,W) Add(mm,bias)
init W float16 [6, 5] a96da1082664c8e0
init bias float16 [5] fac4798d8631f924
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 3.55078
  bias 'bias': largest rounding error = 0.000897192
  weight 'W': largest change = 4.12012
  weight 'W': largest rounding error = 0.000940466
""",
"matMulAddBiasRight/bfloat16": """
ops MatMul(x,W) Add(mm,bias)
init W bfloat16 [6, 5] 8050e6b4b595675f
init bias bfloat16 [5] edfc0077cb67769b
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 3.54688
  bias 'bias': largest rounding error = 0.00180284
  weight 'W': largest change = 4.13281
  weight 'W': largest rounding error = 0.00776209
""",
"matMulAddBiasRight/float64": """
ops MatMul(x,W) Add(mm,bias)
init W float64 [6, 5] 6ef6d8136df40972
init bias float64 [5] 3af7fdda438ec905
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 3.55164
  bias 'bias': largest rounding error = 0
  weight 'W': largest change = 4.12067
  weight 'W': largest rounding error = 0
""",
"matMulAddBiasLeft/float32": """
ops MatMul(x,W) Add(bias,mm)
init W float32 [6, 5] 8f76c1fc1997a9b3
init bias float32 [5] 959e77dca6818617
init bn_scale float32 [5] 4263269366070525
init bn_bias float32 [5] bd68cdddfdfa4343
init bn_mean float32 [5] f447285d95f9c6e0
init bn_var float32 [5] c34cd7147c788f92
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 2.44729
  bias 'bias': largest rounding error = 5.8664e-08
  weight 'W': largest change = 4.95995
  weight 'W': largest rounding error = 9.68488e-08
""",
"matMulAddBiasLeft/float16": """
ops MatMul(x,W) Add(bias,mm)
init W float16 [6, 5] 51ae176036db399a
init bias float16 [5] c614f65eb110c90e
init bn_scale float16 [5] d9a595e9f175152d
init bn_bias float16 [5] d481756762bc6a91
init bn_mean float16 [5] c6020c0edcf36007
init bn_var float16 [5] 3841dcb4794996ff
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 2.44727
  bias 'bias': largest rounding error = 0.000766275
  weight 'W': largest change = 4.96094
  weight 'W': largest rounding error = 0.000765153
""",
"matMulAddBiasLeft/bfloat16": """
ops MatMul(x,W) Add(bias,mm)
init W bfloat16 [6, 5] 107cfc6b277c7b80
init bias bfloat16 [5] 532bce859d0a10f8
init bn_scale bfloat16 [5] 33d7aa0233715f6b
init bn_bias bfloat16 [5] bce316232e353aa9
init bn_mean bfloat16 [5] 9a6cdfbf34f464cc
init bn_var bfloat16 [5] 5bb76fd087d38df8
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 2.44922
  bias 'bias': largest rounding error = 0.0034397
  weight 'W': largest change = 4.96875
  weight 'W': largest rounding error = 0.00645603
""",
"matMulAddBiasLeft/float64": """
ops MatMul(x,W) Add(bias,mm)
init W float64 [6, 5] 9a68d0d094540af8
init bias float64 [5] 8ea55a0828a62fd
init bn_scale float64 [5] 77bac9a5cab4afa8
init bn_bias float64 [5] e1e7a75797b31758
init bn_mean float64 [5] 24393b63c2d9746
init bn_var float64 [5] 36b2d70d7f671fef
change folded into MatMul+Add 'mm' | 5 channels, ε = 9.999999747378752e-06; bias added by 'add' | ["bn", "mm", "add"]
  bias 'bias': largest change = 2.44729
  bias 'bias': largest rounding error = 0
  weight 'W': largest change = 4.95995
  weight 'W': largest rounding error = 0
""",
"sharedConvWeight/float32": """
ops Conv(x,W_folded,conv_bias_folded) Conv(x,W)
init W float32 [3, 2, 3, 3] da1ce98d639f5820
init bn_scale float32 [3] 41d46f15ecaa28f
init bn_bias float32 [3] b7efdd416bb5ca52
init bn_mean float32 [3] 4a467ba31bebfc47
init bn_var float32 [3] dbff1cab530d2847
init W_folded float32 [3, 2, 3, 3] df75b4c085c9987d
init conv_bias_folded float32 [3] fe676111addbf0fc
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.36929
  bias 'conv_bias': largest rounding error = 2.5307e-08
  weight 'W' = shared or not an initializer: cloned as 'W_folded'
  weight 'W': largest change = 8.51575
  weight 'W': largest rounding error = 1.79357e-07
""",
"sharedConvWeight/float16": """
ops Conv(x,W_folded,conv_bias_folded) Conv(x,W)
init W float16 [3, 2, 3, 3] 1e0a3b9c5686c755
init bn_scale float16 [3] 16744852bc80fb1a
init bn_bias float16 [3] 574dc2e6d0523660
init bn_mean float16 [3] f9d88bbe348c3d81
init bn_var float16 [3] 447c6170b8a2d908
init W_folded float16 [3, 2, 3, 3] 431c5808e9641cea
init conv_bias_folded float16 [3] ff0e7e935279404f
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.36914
  bias 'conv_bias': largest rounding error = 0.000519044
  weight 'W' = shared or not an initializer: cloned as 'W_folded'
  weight 'W': largest change = 8.51758
  weight 'W': largest rounding error = 0.00193246
""",
"sharedConvWeight/bfloat16": """
ops Conv(x,W_folded,conv_bias_folded) Conv(x,W)
init W bfloat16 [3, 2, 3, 3] 998a9cd6d716691e
init bn_scale bfloat16 [3] c58e1871f44019c6
init bn_bias bfloat16 [3] aef6dafa839851b7
init bn_mean bfloat16 [3] 4722219c304cc91b
init bn_var bfloat16 [3] 86cb5e6c73ae182e
init W_folded bfloat16 [3, 2, 3, 3] 743821f4554019f2
init conv_bias_folded bfloat16 [3] 6adabb81369b4091
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.375
  bias 'conv_bias': largest rounding error = 0.00716661
  weight 'W' = shared or not an initializer: cloned as 'W_folded'
  weight 'W': largest change = 8.54688
  weight 'W': largest rounding error = 0.014251
""",
"sharedConvWeight/float64": """
ops Conv(x,W_folded,conv_bias_folded) Conv(x,W)
init W float64 [3, 2, 3, 3] b5831f97f4d8e1ac
init bn_scale float64 [3] c1257665971781e9
init bn_bias float64 [3] a8ec31d453d201ce
init bn_mean float64 [3] e1f055311dceab7f
init bn_var float64 [3] 29dc84ebd8988e2
init W_folded float64 [3, 2, 3, 3] 1ef0ed1d78cef376
init conv_bias_folded float64 [3] a134102a52953d59
change folded into Conv 'conv' | 3 channels, ε = 9.999999747378752e-06; weight [3, 2, 3, 3] | ["bn", "conv"]
  bias 'conv_bias': largest change = 2.36929
  bias 'conv_bias': largest rounding error = 0
  weight 'W' = shared or not an initializer: cloned as 'W_folded'
  weight 'W': largest change = 8.51575
  weight 'W': largest rounding error = 0
""",
]
