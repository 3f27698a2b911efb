# ---------- kind 3: follow-ups ----------
LK=lambda c:[c]
I(3,'shorthand','lookup',["TURBT, single 3.2 cm tumor L lateral wall - code?","what if it measured 6 cm instead?"],None,['52240'],['52240'],[rec('52240'),rec('52235')])
I(3,'terse','lookup',["cysto w/ internal urethrotomy, male pt - code?","same procedure but pt is female"],None,['52270'],['52270'],[rec('52270'),rec('52275')])
I(3,'shorthand','lookup',["cysto JJ stent left side = 52332 right?","and if he also did ureteroscopic laser litho on that same side before the stent?"],None,['52356'],['52356'],
  [rec('52356'),item('52356','inc','stent'),ptp('52356','52332',1)])
I(3,'formal','lookup',["Which code describes percutaneous nephrolithotomy for a simple renal pelvis stone?","And if the stone was a complex staghorn filling the collecting system?"],None,['50081'],['50081'],[rec('50081'),rec('50080')])
I(3,'terse','lookup',["open partial nephrectomy code?","and done laparoscopically?"],None,['50543'],['50543'],[rec('50543'),rec('50240')])
I(3,'typo','lookup',["hydrodistention for interstitial cystitis under general anesthesia, whats the code","what if it was only under local"],None,['52265'],['52265'],[rec('52265'),rec('52260')])
I(3,'shorthand','lookup',["cystolitholapaxy, 2 cm bladder stone - code?","and a 3.5 cm stone?"],None,['52318'],['52318'],[rec('52318'),rec('52317')])
I(3,'terse','lookup',["diagnostic cysto is 52000 right?","and with a bladder biopsy too?"],None,['52204'],['52204'],[rec('52204'),rec('52000','base_code') if False else rec('52000')])
I(3,'shorthand','lookup',["cysto + basket extraction of a distal ureteral stone, no ureteroscope used - 52320?","what if it was done through the ureteroscope instead?"],None,['52352'],['52352'],
  [rec('52352'),rec('52320')])
I(3,'formal','lookup',["What is the right code the first time a man's urethral stricture is stretched using sounds?","Same situation, but the patient is female."],None,['53660'],['53660'],[rec('53660'),rec('53600')])
I(3,'shorthand','family',["is fluoro included in 52332?","different question: global period on 52601?"],None,['52601'],['90','090','ninety'],[rvu('52601','glob','090')],mnm=['52332'])
I(3,'terse','out_of_scope',["does 52005 include the contrast injection thru the ureteral cath?","unrelated - any good lunch spots near the hospital?"],'out_of_scope',[],OOS,
  ["off-topic question; nothing carried over from the 52005 turn"],mnm=['52005','50684'])
I(3,'shorthand','lookup',["open ureteral reimplant, single ureter - code?","and if done lap with cysto and stent?"],None,['50947'],['50947'],[rec('50947'),rec('50780')])
I(3,'case_note','units',["Prostatic urethral lift today, first implant code is 52441?","They ended up placing 4 implants total. How do I report it?"],None,['52441','52442'],['3','three'],
  [aoc('52442','52441'),mue('52441',1),mue('52442',6),item('52441','sep','additional implant')])
I(3,'typo','lookup',["code for excision of urethral diverticulum in a femal pt?","and for a male patient?"],None,['53235'],['53235'],[rec('53235'),rec('53230')])
I(3,'shorthand','units',["foley included in 52601?","new topic - max units of 52442 per day?"],None,['52442'],['6','six'],[mue('52442',6)],mnm=['52601'])
I(3,'terse','lookup',["total urethrectomy w/ SP tube, female - code?","male?"],None,['53215'],['53215'],[rec('53215'),rec('53210')])
