# ---------- kind 5: three or more codes ----------
I(5,'shorthand','pair',"draft claim: 52601, 52000, 51702, 76000 - anything need to come off?",'included',['52000','51702','76000'],INC,
  [ptp('52601','52000',0),ptp('52601','51702',0),ptp('52601','76000',1)])
I(5,'formal','pair',"Our urodynamics claim lists 51728, 51797, 51784 and 51741 for one visit. Are all four reportable together?",'separate',['51728','51797','51784','51741'],SEP,
  [item('51728','sep','rectal'),item('51728','sep','EMG'),item('51728','sep','uroflow'),aoc('51797','51728')])
I(5,'shorthand','pair',"TURBT claim: 52234, 52204, 51720, 52000 (bx of same tumor, mitomycin post-op). which ones stay?",'included',['52234','52204','51720','52000'],INC,
  [ptp('52234','52000',0),ptp('52234','52204',1),ptp('52234','51720',1),item('52234','inc','mitomycin')])
I(5,'case_note','pair',"PCNL case: surgeon obtained access himself, dilated tract, removed 1.8 cm pelvis stone, left a nephrostomy. Claim has 50080, 50437, 50432. Which line is bundled?",'included',['50432','50080','50437'],['50432'],
  [item('50080','inc','nephrostomy tube'),ptp('50080','50432',1),item('50080','sep','tract dilation')])
I(5,'shorthand','pair',"50590-LT, 52005-LT, 52332-LT on one claim - which gets bundled?",'included',['52005','50590','52332'],['52005'],
  [ptp('50590','52005',1),item('50590','inc','ureteral catheter'),item('50590','sep','stent')])
I(5,'typo','pair',"claim: 52353-RT, 52332-RT, 52000, 52351. is this rite?",'included',['52356'],['52356'],
  [ptp('52353','52351',0),ptp('52353','52000'),ptp('52353','52332',1),item('52356','inc','stent')])
I(5,'terse','pair',"52441, 52442 x3, 52000, 76000 - bundles?",'included',['52000','76000'],INC,[ptp('52441','52000',0),ptp('52441','76000',1),noptp('52441','52442')])
I(5,'formal','pair',"The operative note describes a laser vaporization with some loop resection. The surgeon's sheet lists 52648, 52601, 52000 and 51700. Can these be billed together?",'included',['52648','52601','52000','51700'],INC,
  [ptp('52601','52648',0),ptp('52648','52000',0),ptp('52648','51700',0)])
I(5,'shorthand','pair',"cystectomy w/ ileal conduit: 51590, 50820, 52000, 44005 on the claim. ok?",'included',['50820','52000','44005'],INC,
  [ptp('51590','50820',0),ptp('51590','52000',0),ptp('51590','44005',0)])
I(5,'terse','pair',"50545 + 60650 + 49320 + 44180 same side same session?",'included',['60650','49320','44180'],INC,[ptp('50545','60650',1),ptp('50545','49320',0),ptp('50545','44180',0)])
I(5,'case_note','pair',"TURBT: three tumors, 4.5 cm, 1.5 cm and 0.4 cm, all resected, plus cold cup bx elsewhere. Draft: 52235, 52234, 52224, 52204. Can all four go?",'included',['52235','52234','52224','52204'],INC,
  [ptp('52235','52234',0),item('52235','inc','smaller'),ptp('52235','52204')])
I(5,'shorthand','pair',"AUS placement 53445 + 53444 tandem cuff + 52000 + 51702 - all billable?",'included',['53444','52000','51702'],INC,[ptp('53445','53444',0),ptp('53445','52000',1),ptp('53445','51702',0)])
I(5,'formal','pair',"For a percutaneous nephrostomy placement, the interventional radiologist has listed 50432, 50430, 76942 and 74425. Which of these are reportable?",'included',['50430','76942','74425'],INC,
  [ptp('50432','50430',1),ptp('50432','76942',1),ptp('50432','74425',1),item('50432','inc','nephrostogram')])
# ---------- kind 6: modifier-1 edits in context ----------
I(6,'case_note','pair',"R proximal ureteral stone: URS with holmium laser litho on the right (52353-RT). Left side has a separate obstructing UPJ issue, so a JJ stent was placed on the LEFT only (52332-LT). Can both be billed?",'separate',['52353','52332'],MOD,
  [ptp('52353','52332',1),"knowledge/policies/bilateral-contralateral-modifiers.md: opposite side takes LT/RT"])
I(6,'terse','pair',"52353 + 52332 same claim?",'included',['52353','52332'],INC+['52356'],[ptp('52353','52332',1),item('52353','inc','stent')])
I(6,'shorthand','pair',"TURBT small (52234) and JJ stent placed, can I add 52332?",'included',['52234','52332'],INC,[ptp('52234','52332',1),item('52234','inc','stent')])
I(6,'case_note','pair',"Same session: ureteroscopic biopsy of a right renal pelvis lesion (52354) and resection of a separate 1.2 cm bladder tumor on the posterior wall (52234). Different organs, different lesions. Both billable?",'separate',['52354','52234'],MOD,
  [ptp('52354','52234',1),"knowledge/policies/modifier-59-and-x-modifiers.md: separate structure/lesion takes XS or 59 when the indicator is 1"])
I(6,'terse','pair',"52354 and 52234 together?",'included',['52354','52234'],INC,[ptp('52354','52234',1),item('52354','inc','turbt')])
I(6,'formal','pair',"During a TURP (52601) the urologist noticed a separate suspicious area on the bladder dome, unrelated to the prostate resection, and took a cold cup biopsy for pathology. May 52204 be reported with 52601?",'separate',['52601','52204'],MOD,
  [ptp('52601','52204',1),"knowledge/policies/modifier-59-and-x-modifiers.md: separate lesion, XS/59"])
I(6,'shorthand','pair',"52601 w/ 52204?",'included',['52601','52204'],INC,[ptp('52601','52204',1),item('52601','inc','bladder biopsy')])
I(6,'shorthand','pair',"ESWL left kidney (50590-LT) and ureteroscopic laser litho right ureter (52353-RT) same day - both payable?",'separate',['50590','52353'],MOD,
  [ptp('50590','52353',1),"knowledge/policies/bilateral-contralateral-modifiers.md"])
I(6,'typo','pair',"ESWL 50590 and then URS lazer litho 52353 on the same side same day, bill both?",'included',['50590','52353'],INC,[ptp('50590','52353',1),item('50590','inc','ureteroscopic lithotripsy')])
I(6,'case_note','pair',["Morning: office cysto 52000 for hematuria f/u.","That evening he came back to the ER in clot retention and the urologist did a bedside catheter irrigation (51700) - separate encounter. Can the 51700 be billed too?"],'separate',['52000','51700'],MOD,
  [ptp('52000','51700',1),"knowledge/policies/modifier-59-and-x-modifiers.md: XE for a separate encounter"])
I(6,'shorthand','pair',"52000 in AM, then foley (51702) placed on the floor hours later, separate session. can I use XE to get 51702 paid?",'included',['52000','51702'],INC+['indicator 0','no modifier'],
  [ptp('52000','51702',0),"knowledge/policies/modifier-59-and-x-modifiers.md: with indicator 0 no modifier helps"])
I(6,'formal','pair',"Is it acceptable to report surface sphincter EMG (51784) and needle EMG (51785) together for the same study session?",'included',['51784','51785'],INC,[ptp('51784','51785',1),item('51784','inc','needle EMG')])
I(6,'shorthand','pair',"brush bx L ureter (52007-LT) and ureteral cath w/ retrograde on the R (52005-RT) - both ok?",'separate',['52007','52005'],MOD,
  [ptp('52007','52005',1),"knowledge/policies/bilateral-contralateral-modifiers.md"])
I(6,'case_note','pair',"Bilateral PCNL same session: right side complex staghorn (50081-RT), left side simple 1 cm pelvis stone (50080-LT). Allowed together?",'separate',['50081','50080'],MOD,
  [ptp('50080','50081',1),"knowledge/policies/bilateral-contralateral-modifiers.md"])
I(6,'shorthand','pair',"52224 fulg + bx of a DIFFERENT lesion that wasnt fulgurated - 52204-XS ok?",'included',['52224','52204'],INC+['indicator 0','no modifier'],
  [ptp('52224','52204',0),"knowledge/policies/modifier-59-and-x-modifiers.md: indicator 0, no modifier bypasses"])
I(6,'formal','pair',"In one session the surgeon resected a left ureteral tumor ureteroscopically (52355) and also fulgurated several small (under 0.5 cm) bladder lesions unrelated to the ureteral tumor (52224). Can 52224 be reported?",'separate',['52355','52224'],MOD,
  [ptp('52355','52224',1),"knowledge/policies/modifier-59-and-x-modifiers.md: separate organ/lesion, XS/59"])
I(6,'terse','pair',"52355 w/ 52224, nothing else documented",'included',['52355','52224'],INC,[ptp('52355','52224',1),item('52355','inc','minor lesion')])
