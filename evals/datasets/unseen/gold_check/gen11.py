# ---------- kind 11: inclusion phrased unusually ----------
K=lambda style,intent,q,verdict,codes,mma,src: I(11,style,intent,q,verdict,codes,mma,src)
K('shorthand','pair',"will a 52351 line survive next to 52353 or get chopped?",'included',['52351','52353'],INC,[ptp('52353','52351',0),item('52353','inc','diagnostic ureteroscopy')])
K('formal','inclusion',"If the urologist trims the bladder neck during the same TURP, does that earn anything beyond 52601?",'included',['52601','52500'],INC,[item('52601','inc','TURBN'),ptp('52601','52500',1)])
K('terse','inclusion',"does the CMG code already pay for putting the catheter in?",'included',['51726'],INC,[item('51726','inc','foley'),ptp('51726','51701',0)])
K('shorthand','pair',"two tumors, one med one small - can 52235 and 52234 both ride on one claim?",'included',['52235','52234'],INC,[ptp('52235','52234',0),item('52235','inc','smaller')])
K('terse','inclusion',"tube study at neph tube change - extra $?",'included',['50435'],INC,[item('50435','inc','nephrostogram'),ptp('50435','50431',1)])
K('shorthand','inclusion',"separate line for EMG on a 51729 or is it baked in?",'separate',['51729','51784'],SEP,[item('51729','sep','EMG'),noptp('51729','51784')])
K('formal','inclusion',"Is anything additional reportable for taking Gerota's fascia and the perirenal fat with a laparoscopic radical nephrectomy?",'included',['50545'],INC,[item('50545','inc','gerota')])
K('typo','inclusion',"does 52287 pay for looking around the bladder first or can i add the diagnostic cysto?",'included',['52287','52000'],INC,[ptp('52287','52000',0),item('52287','inc','cystoscopy')])
K('shorthand','inclusion',"doc had to snip the meatus to get the scope in for 52332 - does he get paid for that?",'included',['52332'],INC,
  [item('transurethral-endoscopy-includes-minor-urethral-steps','inc','meatotomy'),ptp('52332','53020',0)])
K('case_note','inclusion',"TURBT 52234, chips sent to path. Our pathologist asks whether 88305 for the specimen is bundled into the urologist's 52234.",'not_stated',['52234','88305'],['pathology','88305','specimen'],
  [noptp('52234','88305'),"no record names pathology; 88305 outside every record"])
K('shorthand','inclusion',"IV antibiotic push (96372) by the urologist right before 52332 - separate?",'included',['52332','96372'],INC,[ptp('52332','96372',1)])
K('formal','inclusion',"Does the payment for an indwelling catheter insertion (51702) already cover the catheter kit, such as A4338?",'included',['51702'],INC,
  [item('catheter-supplies-in-bladder-catheter-codes','inc','catheter','A4338'),item('51702','inc','catheter supplies')])
K('shorthand','inclusion',"during 52353 doc also crushed a bladder stone - add litholapaxy or no?",'included',['52353'],INC,[item('52353','inc','litholapaxy'),ptp('52353','52317',1)])
K('case_note','inclusion',"After ureteroscopic laser litho of a L distal stone (52353), several fragments had dropped into the bladder and were washed and crushed out. Surgeon wants 52317 for the bladder part.",'included',['52353','52317'],INC,
  [item('litholapaxy-only-for-bladder-stones','inc','fragments'),ptp('52353','52317',1)])
K('terse','inclusion',"PVR bladder scan same visit as 51741 - separate?",'not_stated',['51741','51798'],['bladder scan','51798','residual'],
  [noptp('51741','51798'),"neither 51741 nor 51798 record states the pairing"])
K('shorthand','pair',"lap partial neph (50543) + adrenalectomy same side - pays or folded in?",'included',['50543'],INC,[item('50543','inc','adrenal'),ptp('50543','60650',1)])
K('formal','inclusion',"When the urologist obtains urine for culture at the time of an office cystoscopy (52000), is the collection separately reportable?",'not_stated',['52000'],['culture','urine','specimen'],
  [rec('52000'),"no record or policy names urine specimen collection"])

K('shorthand','inclusion',"PVR bladder scan right before office cysto 52000 - bill it separately?",'not_stated',['52000','51798'],['bladder scan','51798','residual'],
  [noptp('52000','51798'),"neither the 52000 nor the 51798 record states the pairing"])
K('formal','inclusion',"When a urologist calibrates and dilates a urethral stricture through the scope (52281) and a retrograde urethrogram is shot, is the radiology reading (74450) included or reported separately?",'not_stated',['52281','74450'],['74450','urethrogram','supervision','interpretation'],
  [item('52281','inc','contrast injection'),"52281 record bundles only the injection codes 51600-51610; no record states 74450 with 52281; "+noptp('52281','74450')])
K('terse','inclusion',"51720 BCG - can 96413 chemo admin be added?",'not_stated',['51720','96413'],['96413','chemotherapy administration','administration'],
  [rec('51720'),"51720 record names no chemotherapy administration code; "+noptp('51720','96413')])
