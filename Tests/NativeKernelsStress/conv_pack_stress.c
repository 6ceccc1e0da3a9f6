#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fz_gemm.h"
#include "fz_support.h"
// Stress test of the convolution packing of CFreezerKernels, built with AddressSanitizer by
// scripts/check-native-kernels.sh: random 2-D geometries (padding wider than the kernel, windows
// wholly outside the image, strides and dilations larger than the image, images narrower than a
// vector; every 8th case with enough channels that k spans several k-blocks) computed with the B operand packed straight from the image and with a naive im2col matrix.
// The products must agree bit for bit, and no masked load may touch memory outside the image (the
// sanitizer checks masked loads and gathers lane by lane). Usage: conv_pack_stress [SEED].
int main(int argc,char**argv){ int bad=0,n=0; srand(argc>1?atoi(argv[1]):7);
 if(!fz_kernels_supported()){ printf("conv_pack_stress: no AVX-512 here, nothing to check\n"); return 0; }
 float *ws=aligned_alloc(64,4*fz_sgemm_workspace_count());
 for(int t=0;t<4000;t++){
  int C=(t%8==0)?20+rand()%50:1+rand()%4,H=1+rand()%9,W=1+rand()%70,M=1+rand()%20,kh=1+rand()%5,kw=1+rand()%5,sh=1+rand()%4,sw=1+rand()%4,dh=1+rand()%3,dw=1+rand()%3;
  int pt=rand()%7,pl=rand()%7,pb=rand()%7,pr=rand()%7;
  int oh=(H+pt+pb-dh*(kh-1)-1)/sh+1, ow=(W+pl+pr-dw*(kw-1)-1)/sw+1; if(H+pt+pb-dh*(kh-1)-1<0||W+pl+pr-dw*(kw-1)-1<0) continue;
  size_t K=(size_t)C*kh*kw, N=(size_t)oh*ow;
  float *x=malloc(4L*C*H*W),*w=malloc(4L*M*K),*col=malloc(4L*K*N),*y1=malloc(4L*M*N),*y2=malloc(4L*M*N);
  for(long i=0;i<(long)C*H*W;i++)x[i]=(rand()%200-100)*0.01f; for(long i=0;i<(long)M*K;i++)w[i]=(rand()%200-100)*0.01f;
  for(size_t p=0;p<K;p++){int c=p/(kh*kw),ky=p%(kh*kw)/kw,kx=p%kw; for(int oy=0;oy<oh;oy++)for(int ox=0;ox<ow;ox++){int iy=oy*sh+ky*dh-pt,ix=ox*sw+kx*dw-pl; col[p*N+oy*ow+ox]=(iy>=0&&iy<H&&ix>=0&&ix<W)?x[(c*H+iy)*W+ix]:0;}}
  fz_left a={w,K,1};
  fz_sgemm(M,N,K,&a,col,N,0,0,y1,N,0,N,ws);
  fz_conv2d g={x,C,H,W,kh,kw,sh,sw,dh,dw,pt,pl,oh,ow};
  size_t mid=(N/3)/32*32; fz_sgemm_conv2d(M,&a,&g,0,y2,N,0,mid,ws); fz_sgemm_conv2d(M,&a,&g,0,y2,N,mid,N,ws);
  if(memcmp(y1,y2,4L*M*N)){bad++; printf("mismatch C%d H%d W%d k%dx%d s%dx%d d%dx%d p%d,%d\n",C,H,W,kh,kw,sh,sw,dh,dw,pt,pl);}
  n++; free(x);free(w);free(col);free(y1);free(y2);}
 free(ws); printf("%d/%d mismatches\n",bad,n); return bad!=0;}
