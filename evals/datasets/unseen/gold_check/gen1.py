from lib import *
ITEMS=[]
INC=["included","bundled","not separately","part of"]
SEP=["separately","separate","in addition","own code"]
MOD=["modifier","59","XS","XE","LT","RT"]
OOS=["outside","cannot","can't","not able","unable","scope","don't","do not"]
def I(kind, style, intent, turns, verdict, codes, mma, src, mnm=()):
    if isinstance(turns,str): turns=[turns]
    if isinstance(src,(list,tuple)): src='; '.join(src)
    ITEMS.append(dict(turns=turns,intent=intent,expect=dict(verdict=verdict,codes=list(codes),must_mention_any=list(mma),must_not_mention=list(mnm)),source=src,tags=[f"kind:{kind}",f"style:{style}"]))

# ---------- kind 1: codes named in records without a record of their own ----------
I(1,'shorthand','pair',"can i bill 74420 for the retrograde pyelo read on top of 52005? same surgeon did both",
  'separate',['74420','52005'],SEP,[item('52005','sep','retrograde pyelogram'),noptp('52005','74420')])
I(1,'terse','pair',"76000 with 52332?",'included',['76000','52332'],INC,
  [ptp('52332','76000',1),item('fluoroscopy-integral-to-endoscopy','inc','fluoro')])
I(1,'formal','inclusion',"When our urologist places a suprapubic catheter percutaneously (51102) under ultrasound, may the ultrasound guidance code 76942 be reported in addition?",
  'separate',['76942','51102'],SEP,[item('51102','sep','ultrasound guidance'),noptp('51102','76942')])
I(1,'case_note','inclusion',"Office note: 68M, BPH w/ LUTS, prostate 45 g on TRUS done same visit right before Rezum treatment, 6 vapor injections, tolerated well. Can the TRUS (76872) go on the claim with 53854?",
  'included',['76872','53854'],INC,[item('53854','inc','trus'),ptp('53854','76872',1)])
I(1,'shorthand','pair',"rezum 53854 + prostate needle bx 55700 same session - both payable?",'included',['55700','53854'],INC,
  [item('53854','inc','prostate biopsy'),ptp('53854','55700',0)])
I(1,'typo','inclusion',"TURP 52601 with bilatral vasectomy 55250 at same time, can the vasectomy be billd?",'included',['55250','52601'],INC,
  [item('52601','inc','vasectomy'),ptp('52601','55250',1)])
I(1,'formal','pair',"During an open radical nephrectomy (50230) the surgeon also removed a normal appendix incidentally. Is 44950 reportable?",'included',['44950','50230'],INC,
  [item('50230','inc','appendectomy'),ptp('50230','44950',0)])
I(1,'terse','pair',"lap radical neph 50545 + lap adrenalectomy 60650 same side?",'included',['60650','50545'],INC,
  [item('50545','inc','adrenalectomy'),ptp('50545','60650',1)])
I(1,'shorthand','pair',"51992 lap sling — surgeon wants 49320 diag lap added, ok?",'included',['49320','51992'],INC,
  [item('51992','inc','diagnostic laparoscopy'),ptp('51992','49320',0)])
I(1,'case_note','pair',"Radical cystectomy with ileal conduit and bilateral pelvic node dissection, billed 51595. Surgeon's billing sheet also lists 38770 for the lymphadenectomy. Keep it?",
  'included',['38770','51595'],INC,[item('51595','inc','lymph node'),ptp('51595','38770',1)])
I(1,'shorthand','pair',"50437 new access + tract dilation, IR also billed 74485 for the S&I. allowed together?",'included',['74485','50437'],INC,
  [item('50437','inc','supervision'),ptp('50437','74485',1)])
I(1,'terse','pair',"52284 optilume and 74450 RUG S&I same day?",'included',['74450','52284'],INC,[item('52284','inc','urethrogram'),ptp('52284','74450',0)])
I(1,'formal','describe',"Could you describe CPT 55700 and tell me which urinary code it corresponds to?",'out_of_scope',['55700'],OOS,
  [norec('55700'),"knowledge/external_codes.yaml: 55000-55899 male genital system, outside the 50010-53899 coverage"],mnm=['52700','52402'])
I(1,'shorthand','lookup',"bladder scan PVR after void - do i use 78730?",None,['51798','78730'],['51798'],
  [item('bladder-residual-study-nuclear-only','inc','x') if False else "knowledge/policies/bladder-residual-study-nuclear-only.md: 78730 only for a nuclear residual study; a bladder scan is 51798", rec('51798')])
I(1,'terse','describe',"what is 49320",'out_of_scope',['49320'],OOS,[norec('49320'),"knowledge/external_codes.yaml: 49000-49999 abdomen/peritoneum, outside 50010-53899"],mnm=['50549','51999'])
I(1,'typo','describe',"whats the descriptor for cpt 76942, is it a cysto code?",'out_of_scope',['76942'],OOS,
  [norec('76942'),"knowledge/external_codes.yaml: 70000-79999 radiology, outside 50010-53899"],mnm=['52000','52005'])
