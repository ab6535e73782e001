<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cy_GB" sourcelanguage="en_GB">
<context>
    <name>AlertCard</name>
    <message>
        <source>Dismiss</source>
        <translation>Cau</translation>
    </message>
    <message>
        <source>Close this alert</source>
        <translation>Cau&apos;r rhybudd hwn</translation>
    </message>
    <message>
        <source>Go to the screen this alert is about</source>
        <translation>Mynd i&apos;r sgrin y mae&apos;r rhybudd hwn yn sôn amdani</translation>
    </message>
    <message>
        <source>(1 of {n})</source>
        <translation>(1 o {n})</translation>
    </message>
</context>
<context>
    <name>AlertPresenter</name>
    <message>
        <source>(1 of {n})</source>
        <translation>(1 o {n})</translation>
    </message>
</context>
<context>
    <name>AlertsViewModel</name>
    <message>
        <source>Low credit: {amount} left. Please top up soon.</source>
        <translation>Credyd isel: {amount} ar ôl. Ychwanegwch gredyd yn fuan, os gwelwch yn dda.</translation>
    </message>
    <message>
        <source>Your credit has run out. Top up to keep your supply on.</source>
        <translation>Mae eich credyd wedi dod i ben. Ychwanegwch gredyd i gadw eich cyflenwad ymlaen.</translation>
    </message>
    <message>
        <source>Your credit has run out and your electricity supply is off. Top up to restore it.</source>
        <translation>Mae eich credyd wedi dod i ben ac mae eich cyflenwad trydan i ffwrdd. Ychwanegwch gredyd i&apos;w adfer.</translation>
    </message>
    <message>
        <source>Your electricity supply is off. Top up to restore it.</source>
        <translation>Mae eich cyflenwad trydan i ffwrdd. Ychwanegwch gredyd i&apos;w adfer.</translation>
    </message>
    <message>
        <source>Urgent message from your supplier.</source>
        <translation>Neges frys gan eich cyflenwr.</translation>
    </message>
    <message>
        <source>New message from your supplier.</source>
        <translation>Neges newydd gan eich cyflenwr.</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>nwy</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>trydan</translation>
    </message>
    <message>
        <source>{fuel} price going up: {price} from {when}.</source>
        <translation>Pris {fuel} yn codi: {price} o {when} ymlaen.</translation>
    </message>
    <message>
        <source>Low credit</source>
        <translation>Credyd isel</translation>
    </message>
    <message>
        <source>No credit</source>
        <translation>Dim credyd</translation>
    </message>
    <message>
        <source>Supply off</source>
        <translation>Cyflenwad i ffwrdd</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Neges newydd</translation>
    </message>
    <message>
        <source>Price rise</source>
        <translation>Pris yn codi</translation>
    </message>
    <message>
        <source>Top up</source>
        <translation>Ychwanegu credyd</translation>
    </message>
    <message>
        <source>Read it</source>
        <translation>Ei darllen</translation>
    </message>
    <message>
        <source>See prices</source>
        <translation>Gweld prisiau</translation>
    </message>
    <message>
        <source>Show me</source>
        <translation>Dangos i mi</translation>
    </message>
</context>
<context>
    <name>AmbientSign</name>
    <message>
        <source>Low use</source>
        <translation>Defnydd isel</translation>
    </message>
    <message>
        <source>Medium use</source>
        <translation>Defnydd canolig</translation>
    </message>
    <message>
        <source>High use</source>
        <translation>Defnydd uchel</translation>
    </message>
    <message>
        <source>Use level not known yet</source>
        <translation>Dim gwybodaeth am y defnydd eto</translation>
    </message>
    <message>
        <source>Electricity use now: {level}</source>
        <translation>Defnydd trydan nawr: {level}</translation>
    </message>
    <message>
        <source>How much electricity your home is using now: low, medium or high.</source>
        <translation>Faint o drydan mae eich cartref yn ei ddefnyddio nawr: isel, canolig neu uchel.</translation>
    </message>
</context>
<context>
    <name>BalanceScreen</name>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Your meter is in credit mode</source>
        <translation>Mae eich mesurydd yn y modd credyd</translation>
    </message>
    <message>
        <source>You pay for your energy by bill, so there is no balance to top up on this display. Your use and costs are on the Usage and History screens.</source>
        <translation>Rydych chi&apos;n talu am eich ynni drwy fil, felly nid oes balans i ychwanegu ato ar y sgrin hon. Mae eich defnydd a&apos;ch costau ar y sgriniau Defnydd a Hanes.</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>Credyd</translation>
    </message>
    <message>
        <source>Top up</source>
        <translation>Ychwanegu credyd</translation>
    </message>
    <message>
        <source>Enter a 20-digit top-up code</source>
        <translation>Rhoi cod ychwanegu credyd 20 digid</translation>
    </message>
    <message>
        <source>Use emergency credit</source>
        <translation>Defnyddio credyd brys</translation>
    </message>
    <message>
        <source>Ask the meter to start emergency credit, repaid at your next top-up</source>
        <translation>Gofyn i&apos;r mesurydd ddechrau credyd brys, i&apos;w ad-dalu pan fyddwch yn ychwanegu credyd nesaf</translation>
    </message>
    <message>
        <source>Restore supply</source>
        <translation>Adfer y cyflenwad</translation>
    </message>
    <message>
        <source>Ask the meter to turn your electricity back on</source>
        <translation>Gofyn i&apos;r mesurydd droi eich trydan yn ôl ymlaen</translation>
    </message>
    <message>
        <source>Gas credit</source>
        <translation>Credyd nwy</translation>
    </message>
    <message>
        <source>Enter the 20-digit top-up code</source>
        <translation>Rhowch y cod ychwanegu credyd 20 digid</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>Trydan</translation>
    </message>
    <message>
        <source>Send the code to your electricity meter</source>
        <translation>Anfon y cod i&apos;ch mesurydd trydan</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>Nwy</translation>
    </message>
    <message>
        <source>Send the code to your gas meter</source>
        <translation>Anfon y cod i&apos;ch mesurydd nwy</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Yn ôl</translation>
    </message>
    <message>
        <source>Return to your balance; the digits entered are kept</source>
        <translation>Mynd yn ôl i&apos;ch balans; bydd y digidau a roddwyd yn cael eu cadw</translation>
    </message>
    <message>
        <source>Send the code</source>
        <translation>Anfon y cod</translation>
    </message>
    <message>
        <source>Send the code to your meter</source>
        <translation>Anfon y cod i&apos;ch mesurydd</translation>
    </message>
    <message>
        <source>Check your code</source>
        <translation>Gwiriwch eich cod</translation>
    </message>
    <message>
        <source>Is this the code on your receipt? Each group of four, in turn.</source>
        <translation>Ai hwn yw&apos;r cod ar eich derbynneb? Pob grŵp o bedwar, yn eu tro.</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Newid</translation>
    </message>
    <message>
        <source>Go back to the keypad to correct the code; it is kept</source>
        <translation>Mynd yn ôl i&apos;r bysellbad i gywiro&apos;r cod; caiff ei gadw</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Anfon</translation>
    </message>
    <message>
        <source>Send this code to your meter</source>
        <translation>Anfon y cod hwn i&apos;ch mesurydd</translation>
    </message>
    <message>
        <source>Emergency credit: {state}</source>
        <translation>Credyd brys: {state}</translation>
    </message>
    <message>
        <source>Debt: {debt}</source>
        <translation>Dyled: {debt}</translation>
    </message>
    <message>
        <source>Code to send: {digits}</source>
        <translation>Cod i&apos;w anfon: {digits}</translation>
    </message>
    <message>
        <source>All 20 digits: check them against your receipt, then tap Top up</source>
        <translation>Pob un o’r 20 digid: gwiriwch nhw yn erbyn eich derbynneb, yna cyffyrddwch ag Ychwanegu credyd</translation>
    </message>
    <message>
        <source>{n} of 20 digits</source>
        <translation>{n} o 20 digid</translation>
    </message>
    <message>
        <source>Code entered: {digits}</source>
        <translation>Cod a roddwyd: {digits}</translation>
    </message>
    <message>
        <source>Balance: {amount}</source>
        <translation>Balans: {amount}</translation>
    </message>
    <message>
        <source>Recent top-ups</source>
        <translation>Ychwanegiadau diweddar</translation>
    </message>
    <message>
        <source>The last top-ups your meters recorded, and for which fuel</source>
        <translation>Yr ychwanegiadau credyd diwethaf a gofnododd eich mesuryddion, ac ar gyfer pa danwydd</translation>
    </message>
    <message>
        <source>As your meters recorded them: the last five on each meter.</source>
        <translation>Fel y&apos;u cofnodwyd gan eich mesuryddion: y pump olaf ar bob mesurydd.</translation>
    </message>
    <message>
        <source>Return to your balance</source>
        <translation>Yn ôl i&apos;ch balans</translation>
    </message>
</context>
<context>
    <name>BalanceViewModel</name>
    <message>
        <source>You can enter a top-up code again.</source>
        <translation>Gallwch roi cod ychwanegu credyd eto.</translation>
    </message>
    <message>
        <source>emergency credit in use: {amount} left</source>
        <translation>credyd brys yn cael ei ddefnyddio: {amount} ar ôl</translation>
    </message>
    <message>
        <source>emergency credit {amount} available</source>
        <translation>credyd brys {amount} ar gael</translation>
    </message>
    <message>
        <source>debt {amount}</source>
        <translation>dyled {amount}</translation>
    </message>
    <message>
        <source>Gas valve: open</source>
        <translation>Falf nwy: ar agor</translation>
    </message>
    <message>
        <source>Gas valve: ready – press the button on your gas meter to turn it back on</source>
        <translation>Falf nwy: yn barod – pwyswch y botwm ar eich mesurydd nwy i&apos;w droi&apos;n ôl ymlaen</translation>
    </message>
    <message>
        <source>Gas valve: closed – top up your gas to restore it</source>
        <translation>Falf nwy: ar gau – ychwanegwch gredyd nwy i&apos;w adfer</translation>
    </message>
    <message>
        <source>Gas valve: not known yet</source>
        <translation>Falf nwy: nid yw&apos;n hysbys eto</translation>
    </message>
    <message>
        <source>This code is for: Gas</source>
        <translation>Mae&apos;r cod hwn ar gyfer: Nwy</translation>
    </message>
    <message>
        <source>This code is for: Electricity</source>
        <translation>Mae&apos;r cod hwn ar gyfer: Trydan</translation>
    </message>
    <message>
        <source>In use: {amount} left</source>
        <translation>Yn cael ei ddefnyddio: {amount} ar ôl</translation>
    </message>
    <message>
        <source>{amount} available</source>
        <translation>{amount} ar gael</translation>
    </message>
    <message>
        <source>Not available now</source>
        <translation>Nid yw ar gael nawr</translation>
    </message>
    <message>
        <source>No debt</source>
        <translation>Dim dyled</translation>
    </message>
    <message>
        <source>{amount} repaid from {percent} of each top-up</source>
        <translation>{amount} yn cael ei ad-dalu o {percent} o bob ychwanegiad credyd</translation>
    </message>
    <message>
        <source>{amount} repaid at {rate} a day</source>
        <translation>{amount} yn cael ei ad-dalu ar {rate} y dydd</translation>
    </message>
    <message>
        <source>, repaid at {amount} a day</source>
        <translation>, yn cael ei had-dalu ar {amount} y dydd</translation>
    </message>
    <message>
        <source>Days left: not known yet</source>
        <translation>Dyddiau ar ôl: nid yw&apos;n hysbys eto</translation>
    </message>
    <message>
        <source>Less than a day of credit left at your recent use</source>
        <translation>Llai na diwrnod o gredyd ar ôl ar sail eich defnydd diweddar</translation>
    </message>
    <message>
        <source>Days left: {electricity}, {gas}</source>
        <translation>Dyddiau ar ôl: {electricity}, {gas}</translation>
    </message>
    <message>
        <source>electricity not known yet</source>
        <translation>trydan yn anhysbys eto</translation>
    </message>
    <message>
        <source>electricity less than a day</source>
        <translation>trydan llai na diwrnod</translation>
    </message>
    <message>
        <source>{n, plural, one {electricity about # day} other {electricity about # days}}</source>
        <translation>{n, plural, zero {trydan tua # diwrnod} one {trydan tua # diwrnod} two {trydan tua # ddiwrnod} few {trydan tua # diwrnod} many {trydan tua # diwrnod} other {trydan tua # diwrnod}}</translation>
    </message>
    <message>
        <source>gas not known yet</source>
        <translation>nwy yn anhysbys eto</translation>
    </message>
    <message>
        <source>gas less than a day</source>
        <translation>nwy llai na diwrnod</translation>
    </message>
    <message>
        <source>{n, plural, one {gas about # day} other {gas about # days}}</source>
        <translation>{n, plural, zero {nwy tua # diwrnod} one {nwy tua # diwrnod} two {nwy tua # ddiwrnod} few {nwy tua # diwrnod} many {nwy tua # diwrnod} other {nwy tua # diwrnod}}</translation>
    </message>
    <message>
        <source>Your credit has run out. Top up to keep your supply on.</source>
        <translation>Mae eich credyd wedi dod i ben. Ychwanegwch gredyd i gadw eich cyflenwad ymlaen.</translation>
    </message>
    <message>
        <source>Low credit: please top up soon.</source>
        <translation>Credyd isel: ychwanegwch gredyd yn fuan.</translation>
    </message>
    <message>
        <source>Supply: on</source>
        <translation>Cyflenwad: ymlaen</translation>
    </message>
    <message>
        <source>Supply: ready to restore – press Restore supply</source>
        <translation>Cyflenwad: yn barod i&apos;w adfer – pwyswch Adfer y cyflenwad</translation>
    </message>
    <message>
        <source>Supply: off – top up to restore it</source>
        <translation>Cyflenwad: i ffwrdd – ychwanegwch gredyd i&apos;w adfer</translation>
    </message>
    <message>
        <source>Supply: not known yet</source>
        <translation>Cyflenwad: nid yw&apos;n hysbys eto</translation>
    </message>
    <message>
        <source>Top-up paused until {time}</source>
        <translation>Ychwanegu credyd wedi&apos;i oedi tan {time}</translation>
    </message>
    <message>
        <source>If you are sure your code is right, please call your energy supplier.</source>
        <translation>Os ydych chi&apos;n siŵr bod eich cod yn gywir, ffoniwch eich cyflenwr ynni.</translation>
    </message>
    <message>
        <source>Code complete. Press Top up to send it to your meter.</source>
        <translation>Mae&apos;r cod yn gyflawn. Pwyswch Ychwanegu credyd i&apos;w anfon i&apos;ch mesurydd.</translation>
    </message>
    <message>
        <source>Not connected to the meter yet. Your code has not been used; try again shortly.</source>
        <translation>Heb gysylltu â&apos;r mesurydd eto. Nid yw eich cod wedi&apos;i ddefnyddio; rhowch gynnig arall arni cyn bo hir.</translation>
    </message>
    <message>
        <source>Sending your code to the meter…</source>
        <translation>Yn anfon eich cod i&apos;r mesurydd…</translation>
    </message>
    <message>
        <source>Tries left before top-up pauses: {n}.</source>
        <translation>Cynigion ar ôl cyn i ychwanegu credyd oedi: {n}.</translation>
    </message>
    <message>
        <source>The meter did not answer.</source>
        <translation>Ni atebodd y mesurydd.</translation>
    </message>
    <message>
        <source>The top-up did not go through: {reason} Your code has not been used; please try again.</source>
        <translation>Methodd ychwanegu&apos;r credyd: {reason} Nid yw eich cod wedi&apos;i ddefnyddio; rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <source>Your balance is {amount}.</source>
        <translation>Eich balans yw {amount}.</translation>
    </message>
    <message>
        <source>Accepted: {amount} added.</source>
        <translation>Wedi&apos;i dderbyn: {amount} wedi&apos;i ychwanegu.</translation>
    </message>
    <message>
        <source>This code is not valid for your gas meter. If it is an electricity top-up, choose Electricity and send it again.</source>
        <translation>Nid yw&apos;r cod hwn yn ddilys i&apos;ch mesurydd nwy. Os yw&apos;n gredyd trydan, dewiswch Trydan a&apos;i anfon eto.</translation>
    </message>
    <message>
        <source>This code is not valid for your electricity meter. If it is a gas top-up, choose Gas and send it again.</source>
        <translation>Nid yw&apos;r cod hwn yn ddilys i&apos;ch mesurydd trydan. Os yw&apos;n gredyd nwy, dewiswch Nwy a&apos;i anfon eto.</translation>
    </message>
    <message>
        <source>This code has already been used.</source>
        <translation>Mae&apos;r cod hwn eisoes wedi&apos;i ddefnyddio.</translation>
    </message>
    <message>
        <source>This code is not valid for your meter.</source>
        <translation>Nid yw&apos;r cod hwn yn ddilys i&apos;ch mesurydd.</translation>
    </message>
    <message>
        <source>{n, plural, one {About # day of credit left at your recent use} other {About # days of credit left at your recent use}}</source>
        <translation>{n, plural, zero {Tua # diwrnod o gredyd ar ôl ar sail eich defnydd diweddar} one {Tua # diwrnod o gredyd ar ôl ar sail eich defnydd diweddar} two {Tua # ddiwrnod o gredyd ar ôl ar sail eich defnydd diweddar} few {Tua # diwrnod o gredyd ar ôl ar sail eich defnydd diweddar} many {Tua # diwrnod o gredyd ar ôl ar sail eich defnydd diweddar} other {Tua # diwrnod o gredyd ar ôl ar sail eich defnydd diweddar}}</translation>
    </message>
    <message>
        <source>{n, plural, one {Top-up is paused because # code was not accepted. This stops anyone guessing codes. You can try again at {time} (in {wait}).} other {Top-up is paused because # codes were not accepted. This stops anyone guessing codes. You can try again at {time} (in {wait}).}}</source>
        <translation>{n, plural, zero {Mae ychwanegu credyd wedi&apos;i oedi oherwydd i # cod gael eu gwrthod. Mae hyn yn atal unrhyw un rhag dyfalu codau. Gallwch roi cynnig arall arni am {time} (ymhen {wait}).} one {Mae ychwanegu credyd wedi&apos;i oedi oherwydd i # cod gael ei wrthod. Mae hyn yn atal unrhyw un rhag dyfalu codau. Gallwch roi cynnig arall arni am {time} (ymhen {wait}).} two {Mae ychwanegu credyd wedi&apos;i oedi oherwydd i # god gael eu gwrthod. Mae hyn yn atal unrhyw un rhag dyfalu codau. Gallwch roi cynnig arall arni am {time} (ymhen {wait}).} few {Mae ychwanegu credyd wedi&apos;i oedi oherwydd i # chod gael eu gwrthod. Mae hyn yn atal unrhyw un rhag dyfalu codau. Gallwch roi cynnig arall arni am {time} (ymhen {wait}).} many {Mae ychwanegu credyd wedi&apos;i oedi oherwydd i # chod gael eu gwrthod. Mae hyn yn atal unrhyw un rhag dyfalu codau. Gallwch roi cynnig arall arni am {time} (ymhen {wait}).} other {Mae ychwanegu credyd wedi&apos;i oedi oherwydd i # cod gael eu gwrthod. Mae hyn yn atal unrhyw un rhag dyfalu codau. Gallwch roi cynnig arall arni am {time} (ymhen {wait}).}}</translation>
    </message>
    <message>
        <source>Not added: your balance would go over the most this meter can hold.</source>
        <translation>Heb ei ychwanegu: byddai eich balans yn mynd dros yr uchafswm y gall y mesurydd hwn ei ddal.</translation>
    </message>
    <message>
        <source>The meter has locked top-ups after too many wrong codes. Please try later.</source>
        <translation>Mae&apos;r mesurydd wedi cloi ychwanegu credyd ar ôl gormod o godau anghywir. Rhowch gynnig arall arni yn nes ymlaen.</translation>
    </message>
    <message>
        <source>This top-up is larger than your meter accepts.</source>
        <translation>Mae&apos;r swm hwn yn fwy nag y mae eich mesurydd yn ei dderbyn.</translation>
    </message>
    <message>
        <source>The code was not sent to the meter.</source>
        <translation>Ni chafodd y cod ei anfon i&apos;r mesurydd.</translation>
    </message>
    <message>
        <source>The meter could not add this top-up. Please try again.</source>
        <translation>Methodd y mesurydd ag ychwanegu&apos;r credyd hwn. Rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <source>Emergency credit is now in use.</source>
        <translation>Mae credyd brys yn cael ei ddefnyddio nawr.</translation>
    </message>
    <message>
        <source>The meter did not start emergency credit.</source>
        <translation>Ni ddechreuodd y mesurydd y credyd brys.</translation>
    </message>
    <message>
        <source>Could not reach the meter to start emergency credit. Please try again.</source>
        <translation>Methu cysylltu â&apos;r mesurydd i ddechrau credyd brys. Rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <source>Asking the meter…</source>
        <translation>Yn gofyn i&apos;r mesurydd…</translation>
    </message>
    <message>
        <source>Not connected to the meter yet.</source>
        <translation>Heb gysylltu â&apos;r mesurydd eto.</translation>
    </message>
    <message>
        <source>Your supply is back on.</source>
        <translation>Mae eich cyflenwad yn ôl ymlaen.</translation>
    </message>
    <message>
        <source>The meter did not restore the supply. Check your credit and try again.</source>
        <translation>Nid adferodd y mesurydd y cyflenwad. Gwiriwch eich credyd a rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <source>Could not reach the meter. Please try again.</source>
        <translation>Methu cysylltu â&apos;r mesurydd. Rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <source>Asking the meter to restore your supply…</source>
        <translation>Yn gofyn i&apos;r mesurydd adfer eich cyflenwad…</translation>
    </message>
    <message>
        <source>{day} {time} · {fuel} · {amount}</source>
        <translation>{day} {time} · {fuel} · {amount}</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>Trydan</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>Nwy</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>History chart</source>
        <translation>Siart hanes</translation>
    </message>
</context>
<context>
    <name>BudgetViewModel</name>
    <message>
        <source>Daily budget: {spent} of {limit}</source>
        <translation>Cyllideb ddyddiol: {spent} o {limit}</translation>
    </message>
    <message>
        <source>Weekly budget: {spent} of {limit}</source>
        <translation>Cyllideb wythnosol: {spent} o {limit}</translation>
    </message>
    <message>
        <source>Monthly budget: {spent} of {limit}</source>
        <translation>Cyllideb fisol: {spent} o {limit}</translation>
    </message>
    <message>
        <source>{percent} of the budget used</source>
        <translation>{percent} o&apos;r gyllideb wedi&apos;i defnyddio</translation>
    </message>
    <message>
        <source>Forecast: after a whole day of use</source>
        <translation>Rhagolwg: ar ôl diwrnod cyfan o ddefnydd</translation>
    </message>
    <message>
        <source>About {amount} by midnight — estimate</source>
        <translation>Tua {amount} erbyn hanner nos — amcangyfrif</translation>
    </message>
    <message>
        <source>About {amount} by Sunday — estimate</source>
        <translation>Tua {amount} erbyn dydd Sul — amcangyfrif</translation>
    </message>
    <message>
        <source>About {amount} by {date} — estimate</source>
        <translation>Tua {amount} erbyn {date} — amcangyfrif</translation>
    </message>
    <message>
        <source>already {amount} over</source>
        <translation>eisoes {amount} dros y gyllideb</translation>
    </message>
    <message>
        <source>over your budget</source>
        <translation>dros eich cyllideb</translation>
    </message>
</context>
<context>
    <name>ExportScreen</name>
    <message>
        <source>Today</source>
        <translation>Heddiw</translation>
    </message>
    <message>
        <source>Meter totals</source>
        <translation>Cyfansymiau&apos;r mesurydd</translation>
    </message>
    <message>
        <source>Your meters measure what you export and buy, not the total your panels generate.</source>
        <translation>Mae eich mesuryddion yn mesur yr hyn rydych chi&apos;n ei allforio a&apos;i brynu, nid cyfanswm yr hyn y mae eich paneli&apos;n ei gynhyrchu.</translation>
    </message>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>This home&apos;s meter reports no export (no solar panels or other generation).</source>
        <translation>Nid yw mesurydd y cartref hwn yn dangos unrhyw allforio (dim paneli solar na chynhyrchu arall).</translation>
    </message>
    <message>
        <source>Exported: {kwh}</source>
        <translation>Wedi&apos;i allforio: {kwh}</translation>
    </message>
    <message>
        <source>Bought: {kwh}</source>
        <translation>Wedi&apos;i brynu: {kwh}</translation>
    </message>
    <message>
        <source>Since {time} today</source>
        <translation>Ers {time} heddiw</translation>
    </message>
</context>
<context>
    <name>ExportViewModel</name>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Sending {power} to the grid</source>
        <translation>Yn anfon {power} i&apos;r grid</translation>
    </message>
    <message>
        <source>Buying {power} from the grid</source>
        <translation>Yn prynu {power} o&apos;r grid</translation>
    </message>
</context>
<context>
    <name>FoldingPage</name>
    <message>
        <source>◂ Back</source>
        <translation>◂ Yn ôl</translation>
    </message>
    <message>
        <source>Show the part of this screen before this one</source>
        <translation>Dangos y rhan o&apos;r sgrin hon sy&apos;n dod cyn hon</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Yn ôl</translation>
    </message>
    <message>
        <source>More details ▸</source>
        <translation>Mwy o fanylion ▸</translation>
    </message>
    <message>
        <source>More details</source>
        <translation>Mwy o fanylion</translation>
    </message>
    <message>
        <source>Show more of this screen</source>
        <translation>Dangos mwy o&apos;r sgrin hon</translation>
    </message>
    <message>
        <source>{n} of {total}</source>
        <translation>{n} o {total}</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>{amount}p</source>
        <translation>{amount}c</translation>
    </message>
    <message>
        <source>{price}p per kWh</source>
        <translation>{price}c y kWh</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} eiliad</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} mun</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} awr {m} mun</translation>
    </message>
    <message>
        <source>{n, plural, one {# day} other {# days}}</source>
        <translation>{n, plural, zero {# diwrnod} one {# diwrnod} two {# ddiwrnod} few {# diwrnod} many {# diwrnod} other {# diwrnod}}</translation>
    </message>
</context>
<context>
    <name>Freshness</name>
    <message>
        <source>No recent readings from the electricity and gas meters.</source>
        <translation>Dim darlleniadau diweddar gan y mesuryddion trydan a nwy.</translation>
    </message>
    <message>
        <source>No recent readings from the gas meter.</source>
        <translation>Dim darlleniadau diweddar gan y mesurydd nwy.</translation>
    </message>
    <message>
        <source>No recent readings from the electricity meter.</source>
        <translation>Dim darlleniadau diweddar gan y mesurydd trydan.</translation>
    </message>
    <message>
        <source>The display&apos;s radio stopped answering.</source>
        <translation>Mae radio&apos;r sgrin wedi peidio ag ateb.</translation>
    </message>
    <message>
        <source>The display&apos;s radio is missing or not answering.</source>
        <translation>Mae radio&apos;r sgrin ar goll neu nid yw&apos;n ateb.</translation>
    </message>
    <message>
        <source>The figures shown are {age} old (from {time}).</source>
        <translation>Mae&apos;r ffigurau a ddangosir yn {age} oed (o {time}).</translation>
    </message>
    <message>
        <source>No figures have arrived yet.</source>
        <translation>Nid oes ffigurau wedi cyrraedd eto.</translation>
    </message>
    <message>
        <source>Offline: not connected to the meter.</source>
        <translation>All-lein: heb gysylltu â&apos;r mesurydd.</translation>
    </message>
    <message>
        <source>Stale: readings are out of date.</source>
        <translation>Hen: mae&apos;r darlleniadau wedi dyddio.</translation>
    </message>
    <message>
        <source>Connecting to the meter…</source>
        <translation>Yn cysylltu â&apos;r mesurydd…</translation>
    </message>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Connected, but some readings could not be understood.</source>
        <translation>Wedi cysylltu, ond roedd rhai darlleniadau&apos;n annealladwy.</translation>
    </message>
    <message>
        <source>No new reading for {age}.</source>
        <translation>Dim darlleniad newydd ers {age}.</translation>
    </message>
    <message>
        <source>Live: updated {time}</source>
        <translation>Byw: diweddarwyd {time}</translation>
    </message>
</context>
<context>
    <name>HistoryScreen</name>
    <message>
        <source>8 days</source>
        <translation>8 diwrnod</translation>
    </message>
    <message>
        <source>5 weeks</source>
        <translation>5 wythnos</translation>
    </message>
    <message>
        <source>13 months</source>
        <translation>13 mis</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Yr awr ddiwethaf</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Y diwrnod diwethaf</translation>
    </message>
    <message>
        <source>Show this period on the chart</source>
        <translation>Dangos y cyfnod hwn ar y siart</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>Trydan</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>Nwy</translation>
    </message>
    <message>
        <source>Show this fuel on the chart</source>
        <translation>Dangos y tanwydd hwn ar y siart</translation>
    </message>
</context>
<context>
    <name>HistoryViewModel</name>
    <message>
        <source>no data</source>
        <translation>dim data</translation>
    </message>
    <message>
        <source>£</source>
        <translation>£</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>Week from {day}</source>
        <translation>Wythnos o {day}</translation>
    </message>
    <message>
        <source>cost not known</source>
        <translation>cost anhysbys</translation>
    </message>
    <message>
        <source> (so far)</source>
        <translation> (hyd yn hyn)</translation>
    </message>
    <message>
        <source>{when}: no data</source>
        <translation>{when}: dim data</translation>
    </message>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Now {value} {unit} · highest {peak} {unit}</source>
        <translation>Nawr {value} {unit} · uchaf {peak} {unit}</translation>
    </message>
    <message>
        <source>No history recorded yet.</source>
        <translation>Dim hanes wedi&apos;i gofnodi eto.</translation>
    </message>
    <message>
        <source>History is not recorded on this display.</source>
        <translation>Nid yw&apos;r sgrin hon yn cofnodi hanes.</translation>
    </message>
    <message>
        <source>Touch a bar to see its figures.</source>
        <translation>Cyffyrddwch â bar i weld ei ffigurau.</translation>
    </message>
    <message>
        <source>Days from the meter run from 01:00 to 01:00 in summer (midnight GMT).</source>
        <translation>Mae diwrnodau&apos;r mesurydd yn rhedeg o 01:00 i 01:00 yn yr haf (hanner nos GMT).</translation>
    </message>
</context>
<context>
    <name>HouseholdPrompt</name>
    <message>
        <source>Clear the history</source>
        <translation>Clirio&apos;r hanes</translation>
    </message>
    <message>
        <source>Delete the previous household&apos;s energy history; needs the installer PIN</source>
        <translation>Dileu hanes ynni&apos;r aelwyd flaenorol; mae angen PIN y gosodwr</translation>
    </message>
    <message>
        <source>Keep the history</source>
        <translation>Cadw&apos;r hanes</translation>
    </message>
    <message>
        <source>Leave the energy history as it is</source>
        <translation>Gadael yr hanes ynni fel y mae</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Iawn</translation>
    </message>
    <message>
        <source>Close this notice</source>
        <translation>Cau&apos;r hysbysiad hwn</translation>
    </message>
    <message>
        <source>No installer PIN has been set on this display, so the history cannot be cleared here. Ask your installer.</source>
        <translation>Nid oes PIN gosodwr wedi&apos;i osod ar y sgrin hon, felly ni ellir clirio&apos;r hanes yma. Gofynnwch i&apos;ch gosodwr.</translation>
    </message>
    <message>
        <source>Nothing was cleared.</source>
        <translation>Ni chliriwyd dim.</translation>
    </message>
</context>
<context>
    <name>HouseholdViewModel</name>
    <message>
        <source>Your energy supplier says a new household lives here from {when}. Clear the previous household&apos;s energy history from this display? An installer PIN is needed.</source>
        <translation>Mae eich cyflenwr ynni&apos;n dweud bod aelwyd newydd yn byw yma o {when}. Clirio hanes ynni&apos;r aelwyd flaenorol o&apos;r sgrin hon? Mae angen PIN y gosodwr.</translation>
    </message>
    <message>
        <source>This display keeps no history, so there was nothing to clear.</source>
        <translation>Nid yw&apos;r sgrin hon yn cadw hanes, felly nid oedd dim i&apos;w glirio.</translation>
    </message>
    <message>
        <source>The history could not be cleared: {reason}</source>
        <translation>Nid oedd modd clirio&apos;r hanes: {reason}</translation>
    </message>
    <message>
        <source>The previous household&apos;s history has been cleared.</source>
        <translation>Mae hanes yr aelwyd flaenorol wedi&apos;i glirio.</translation>
    </message>
    <message>
        <source>Your electricity supplier is changing to {name} on {when}.</source>
        <translation>Mae eich cyflenwr trydan yn newid i {name} ar {when}.</translation>
    </message>
    <message>
        <source>Your electricity supplier is now {name}.</source>
        <translation>Eich cyflenwr trydan nawr yw {name}.</translation>
    </message>
    <message>
        <source>Your tariff: {tariff}, {price}, standing charge {standing} a day.</source>
        <translation>Eich tariff: {tariff}, {price}, tâl sefydlog {standing} y dydd.</translation>
    </message>
    <message>
        <source>Its prices will show here when your meter receives them.</source>
        <translation>Bydd ei brisiau&apos;n ymddangos yma pan fydd eich mesurydd yn eu derbyn.</translation>
    </message>
    <message>
        <source>Contact: {contact}</source>
        <translation>Cyswllt: {contact}</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>Clirio</translation>
    </message>
    <message>
        <source>Clear all digits</source>
        <translation>Clirio pob digid</translation>
    </message>
    <message>
        <source>Start the code again</source>
        <translation>Dechrau&apos;r cod eto</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Dileu</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>Dileu&apos;r digid olaf</translation>
    </message>
    <message>
        <source>Remove the last digit entered</source>
        <translation>Tynnu&apos;r digid olaf a roddwyd</translation>
    </message>
    <message>
        <source>Enter this digit</source>
        <translation>Rhoi&apos;r digid hwn</translation>
    </message>
</context>
<context>
    <name>LiveChart</name>
    <message>
        <source>Live use chart</source>
        <translation>Siart defnydd byw</translation>
    </message>
</context>
<context>
    <name>LoadControlViewModel</name>
    <message>
        <source>heating or cooling</source>
        <translation>gwresogi neu oeri</translation>
    </message>
    <message>
        <source>electric heating</source>
        <translation>gwresogi trydan</translation>
    </message>
    <message>
        <source>water heater</source>
        <translation>gwresogydd dŵr</translation>
    </message>
    <message>
        <source>pool pump</source>
        <translation>pwmp pwll nofio</translation>
    </message>
    <message>
        <source>smart appliances</source>
        <translation>offer clyfar</translation>
    </message>
    <message>
        <source>irrigation pump</source>
        <translation>pwmp dyfrhau</translation>
    </message>
    <message>
        <source>managed loads</source>
        <translation>llwythi a reolir</translation>
    </message>
    <message>
        <source>other loads</source>
        <translation>llwythi eraill</translation>
    </message>
    <message>
        <source>outdoor lighting</source>
        <translation>goleuadau awyr agored</translation>
    </message>
    <message>
        <source>indoor lighting</source>
        <translation>goleuadau dan do</translation>
    </message>
    <message>
        <source>electric vehicle charger</source>
        <translation>gwefrydd cerbyd trydan</translation>
    </message>
    <message>
        <source>generation</source>
        <translation>cynhyrchu</translation>
    </message>
    <message>
        <source>controlled load</source>
        <translation>llwyth a reolir</translation>
    </message>
    <message>
        <source>{n, plural, one {Your {load} is paused until {time}} other {Your {load} are paused until {time}}}</source>
        <translation>{n, plural, zero {Mae eich {load} wedi&apos;u hoedi tan {time}} one {Mae eich {load} wedi&apos;i oedi tan {time}} two {Mae eich {load} wedi&apos;u hoedi tan {time}} few {Mae eich {load} wedi&apos;u hoedi tan {time}} many {Mae eich {load} wedi&apos;u hoedi tan {time}} other {Mae eich {load} wedi&apos;u hoedi tan {time}}}</translation>
    </message>
</context>
<context>
    <name>LoadSwitchViewModel</name>
    <message>
        <source>{load} switched on by your supplier</source>
        <translation>{load} wedi&apos;i droi ymlaen gan eich cyflenwr</translation>
    </message>
    <message>
        <source>{load} switched off by your supplier</source>
        <translation>{load} wedi&apos;i ddiffodd gan eich cyflenwr</translation>
    </message>
    <message>
        <source>{load} switched on by your supplier until {time}</source>
        <translation>{load} wedi&apos;i droi ymlaen gan eich cyflenwr tan {time}</translation>
    </message>
    <message>
        <source>{load} switched off by your supplier until {time}</source>
        <translation>{load} wedi&apos;i ddiffodd gan eich cyflenwr tan {time}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Energy display</source>
        <translation>Sgrin ynni</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Nawr</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Defnydd</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Hanes</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Prisiau</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Balans</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Negeseuon</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Allforio</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Gosodiadau</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Dewislen</translation>
    </message>
    <message>
        <source>Time {time}, {day}</source>
        <translation>Yr amser {time}, {day}</translation>
    </message>
    <message>
        <source>● Connected</source>
        <translation>● Wedi cysylltu</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Yn cysylltu…</translation>
    </message>
    <message>
        <source>⚠ Stale readings</source>
        <translation>⚠ Darlleniadau hen</translation>
    </message>
    <message>
        <source>✖ Offline</source>
        <translation>✖ All-lein</translation>
    </message>
    <message>
        <source>⚠ Some readings failed</source>
        <translation>⚠ Methodd rhai darlleniadau</translation>
    </message>
    <message>
        <source>Meter signal: {n} of 4 bars</source>
        <translation>Signal y mesurydd: {n} o 4 bar</translation>
    </message>
    <message>
        <source>❚❚ Paused until {time}</source>
        <translation>❚❚ Saib tan {time}</translation>
    </message>
    <message>
        <source>{n, plural, one {# message waiting for you to confirm} other {# messages waiting for you to confirm}}</source>
        <translation>{n, plural, zero {# neges yn aros i chi eu cadarnhau} one {# neges yn aros i chi ei chadarnhau} two {# neges yn aros i chi eu cadarnhau} few {# neges yn aros i chi eu cadarnhau} many {# neges yn aros i chi eu cadarnhau} other {# neges yn aros i chi eu cadarnhau}}</translation>
    </message>
    <message>
        <source>Connection: {state}</source>
        <translation>Cysylltiad: {state}</translation>
    </message>
    <message>
        <source>Target: {kind}:{where}</source>
        <translation>Targed: {kind}:{where}</translation>
    </message>
    <message>
        <source>Devices: {n}</source>
        <translation>Dyfeisiau: {n}</translation>
    </message>
</context>
<context>
    <name>MenuPage</name>
    <message>
        <source>Go to the {screen} screen</source>
        <translation>Mynd i&apos;r sgrin {screen}</translation>
    </message>
</context>
<context>
    <name>MessagesScreen</name>
    <message>
        <source>No messages from your supplier.</source>
        <translation>Dim negeseuon gan eich cyflenwr.</translation>
    </message>
    <message>
        <source>From your supplier, {when}</source>
        <translation>Gan eich cyflenwr, {when}</translation>
    </message>
    <message>
        <source>Important – </source>
        <translation>Pwysig – </translation>
    </message>
    <message>
        <source>Confirming…</source>
        <translation>Yn cadarnhau…</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Cadarnhau</translation>
    </message>
    <message>
        <source>Confirm you have read this message</source>
        <translation>Cadarnhau eich bod wedi darllen y neges hon</translation>
    </message>
    <message>
        <source>Tell your supplier you have read it</source>
        <translation>Dweud wrth eich cyflenwr eich bod wedi&apos;i darllen</translation>
    </message>
    <message>
        <source>✓ Confirmed</source>
        <translation>✓ Wedi&apos;i gadarnhau</translation>
    </message>
</context>
<context>
    <name>MessagesViewModel</name>
    <message>
        <source>Could not reach the meter. Please try again.</source>
        <translation>Methu cysylltu â&apos;r mesurydd. Rhowch gynnig arall arni.</translation>
    </message>
    <message>
        <source>Not connected to the meter yet.</source>
        <translation>Heb gysylltu â&apos;r mesurydd eto.</translation>
    </message>
</context>
<context>
    <name>NowScreen</name>
    <message>
        <source>Electricity now</source>
        <translation>Trydan nawr</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>Nwy</translation>
    </message>
    <message>
        <source>Exporting now</source>
        <translation>Allforio nawr</translation>
    </message>
</context>
<context>
    <name>NowViewModel</name>
    <message>
        <source>cheaper</source>
        <translation>rhatach</translation>
    </message>
    <message>
        <source>Using a lot, at the {band} rate: the cheapest one</source>
        <translation>Defnydd uchel, ar y gyfradd {band}: yr un rataf</translation>
    </message>
    <message>
        <source>No credit</source>
        <translation>Dim credyd</translation>
    </message>
    <message>
        <source>Low credit</source>
        <translation>Credyd isel</translation>
    </message>
    <message>
        <source>Your credit has run out. Top up to keep your supply on.</source>
        <translation>Mae eich credyd wedi dod i ben. Ychwanegwch gredyd i gadw eich cyflenwad ymlaen.</translation>
    </message>
    <message>
        <source>{n, plural, other {Showing the meter&apos;s time: this computer&apos;s clock is # min slow.}}</source>
        <translation>{n, plural, zero {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud ar ei hôl hi.} one {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud ar ei hôl hi.} two {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # funud ar ei hôl hi.} few {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud ar ei hôl hi.} many {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud ar ei hôl hi.} other {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud ar ei hôl hi.}}</translation>
    </message>
    <message>
        <source>{n, plural, other {Showing the meter&apos;s time: this computer&apos;s clock is # min fast.}}</source>
        <translation>{n, plural, zero {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud yn rhy gyflym.} one {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud yn rhy gyflym.} two {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # funud yn rhy gyflym.} few {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud yn rhy gyflym.} many {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud yn rhy gyflym.} other {Yn dangos amser y mesurydd: mae cloc y cyfrifiadur hwn # munud yn rhy gyflym.}}</translation>
    </message>
    <message>
        <source>{n, plural, other {Computer clock # min slow}}</source>
        <translation>{n, plural, zero {Cloc y cyfrifiadur # munud ar ei hôl hi} one {Cloc y cyfrifiadur # munud ar ei hôl hi} two {Cloc y cyfrifiadur # funud ar ei hôl hi} few {Cloc y cyfrifiadur # munud ar ei hôl hi} many {Cloc y cyfrifiadur # munud ar ei hôl hi} other {Cloc y cyfrifiadur # munud ar ei hôl hi}}</translation>
    </message>
    <message>
        <source>{n, plural, other {Computer clock # min fast}}</source>
        <translation>{n, plural, zero {Cloc y cyfrifiadur # munud yn rhy gyflym} one {Cloc y cyfrifiadur # munud yn rhy gyflym} two {Cloc y cyfrifiadur # funud yn rhy gyflym} few {Cloc y cyfrifiadur # munud yn rhy gyflym} many {Cloc y cyfrifiadur # munud yn rhy gyflym} other {Cloc y cyfrifiadur # munud yn rhy gyflym}}</translation>
    </message>
    <message>
        <source>Electricity credit {amount}</source>
        <translation>Credyd trydan {amount}</translation>
    </message>
    <message>
        <source>Gas credit {amount}</source>
        <translation>Credyd nwy {amount}</translation>
    </message>
    <message>
        <source>Low credit: please top up soon.</source>
        <translation>Credyd isel: ychwanegwch gredyd yn fuan.</translation>
    </message>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Your solar panels are sending power to the grid.</source>
        <translation>Mae eich paneli solar yn anfon pŵer i&apos;r grid.</translation>
    </message>
    <message>
        <source>Waiting for the price…</source>
        <translation>Yn aros am y pris…</translation>
    </message>
    <message>
        <source>{cost} an hour</source>
        <translation>{cost} yr awr</translation>
    </message>
    <message>
        <source>at {price}</source>
        <translation>ar {price}</translation>
    </message>
    <message>
        <source>No gas meter is connected to this display.</source>
        <translation>Nid oes mesurydd nwy wedi&apos;i gysylltu â&apos;r sgrin hon.</translation>
    </message>
    <message>
        <source>Waiting for the gas meter…</source>
        <translation>Yn aros am y mesurydd nwy…</translation>
    </message>
    <message>
        <source>reading at {time}</source>
        <translation>darlleniad am {time}</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <source>Back</source>
        <translation>Yn ôl</translation>
    </message>
    <message>
        <source>Leave without a PIN</source>
        <translation>Gadael heb PIN</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Iawn</translation>
    </message>
    <message>
        <source>OK, check the PIN</source>
        <translation>Iawn, gwirio&apos;r PIN</translation>
    </message>
    <message>
        <source>Check the PIN you have entered</source>
        <translation>Gwirio&apos;r PIN rydych wedi&apos;i roi</translation>
    </message>
    <message>
        <source>{n, plural, one {# digit entered} other {# digits entered}}</source>
        <translation>{n, plural, zero {# digid wedi&apos;u rhoi} one {# digid wedi&apos;i roi} two {# ddigid wedi&apos;u rhoi} few {# digid wedi&apos;u rhoi} many {# digid wedi&apos;u rhoi} other {# digid wedi&apos;u rhoi}}</translation>
    </message>
    <message>
        <source>Enter the new PIN again</source>
        <translation>Rhowch y PIN newydd eto</translation>
    </message>
    <message>
        <source>Choose an installer PIN ({low} to {high} digits)</source>
        <translation>Dewiswch PIN gosodwr ({low} i {high} digid)</translation>
    </message>
    <message>
        <source>Researcher PIN</source>
        <translation>PIN yr ymchwilydd</translation>
    </message>
    <message>
        <source>Installer PIN</source>
        <translation>PIN y gosodwr</translation>
    </message>
    <message>
        <source>No installer PIN has been set yet.</source>
        <translation>Nid oes PIN gosodwr wedi&apos;i osod eto.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in a few minutes.</source>
        <translation>Gormod o rifau PIN anghywir. Rhowch gynnig arall arni ymhen ychydig funudau.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Nid yw&apos;r PIN hwnnw&apos;n gywir.</translation>
    </message>
    <message>
        <source>The two PINs were different. Please choose again.</source>
        <translation>Roedd y ddau PIN yn wahanol. Dewiswch eto, os gwelwch yn dda.</translation>
    </message>
    <message>
        <source>A PIN is {low} to {high} digits.</source>
        <translation>Mae PIN rhwng {low} a {high} digid.</translation>
    </message>
    <message>
        <source>PIN saved.</source>
        <translation>PIN wedi&apos;i gadw.</translation>
    </message>
</context>
<context>
    <name>ResearcherPanel</name>
    <message>
        <source>Researcher</source>
        <translation>Ymchwilydd</translation>
    </message>
    <message>
        <source>Export this participant</source>
        <translation>Allforio data&apos;r cyfranogwr hwn</translation>
    </message>
    <message>
        <source>Write the participant&apos;s sessions as CSV and JSON lines</source>
        <translation>Ysgrifennu sesiynau&apos;r cyfranogwr fel CSV a llinellau JSON</translation>
    </message>
    <message>
        <source>End session and close</source>
        <translation>Gorffen y sesiwn a chau</translation>
    </message>
    <message>
        <source>Finish recording and close the display</source>
        <translation>Gorffen cofnodi a chau&apos;r sgrin</translation>
    </message>
    <message>
        <source>Back to the participant</source>
        <translation>Yn ôl at y cyfranogwr</translation>
    </message>
    <message>
        <source>Lock the researcher area and return to the display</source>
        <translation>Cloi adran yr ymchwilydd a mynd yn ôl i&apos;r sgrin</translation>
    </message>
    <message>
        <source>Participant {p}
Session {s}
Variant {v}
Scenario {c}</source>
        <translation>Cyfranogwr {p}
Sesiwn {s}
Amrywiad {v}
Senario {c}</translation>
    </message>
    <message>
        <source>{n, plural, one {# event logged} other {# events logged}}</source>
        <translation>{n, plural, zero {# digwyddiad wedi&apos;u cofnodi} one {# digwyddiad wedi&apos;i gofnodi} two {# ddigwyddiad wedi&apos;u cofnodi} few {# digwyddiad wedi&apos;u cofnodi} many {# digwyddiad wedi&apos;u cofnodi} other {# digwyddiad wedi&apos;u cofnodi}}</translation>
    </message>
    <message>
        <source>Written to {folder}</source>
        <translation>Wedi&apos;i ysgrifennu i {folder}</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>Show energy in kilowatt hours first</source>
        <translation>Dangos ynni mewn cilowat awr yn gyntaf</translation>
    </message>
    <message>
        <source>£</source>
        <translation>£</translation>
    </message>
    <message>
        <source>Show cost in pounds first</source>
        <translation>Dangos y gost mewn punnoedd yn gyntaf</translation>
    </message>
    <message>
        <source>Kilowatt hours first</source>
        <translation>Cilowat awr yn gyntaf</translation>
    </message>
    <message>
        <source>Pounds first</source>
        <translation>Punnoedd yn gyntaf</translation>
    </message>
    <message>
        <source>Show first</source>
        <translation>Dangos yn gyntaf</translation>
    </message>
    <message>
        <source>No budget</source>
        <translation>Dim cyllideb</translation>
    </message>
    <message>
        <source>Show no budget</source>
        <translation>Peidio â dangos cyllideb</translation>
    </message>
    <message>
        <source>A day</source>
        <translation>Y dydd</translation>
    </message>
    <message>
        <source>Set a budget for each day</source>
        <translation>Gosod cyllideb ar gyfer pob dydd</translation>
    </message>
    <message>
        <source>A week</source>
        <translation>Yr wythnos</translation>
    </message>
    <message>
        <source>Set a budget for each week</source>
        <translation>Gosod cyllideb ar gyfer pob wythnos</translation>
    </message>
    <message>
        <source>A month</source>
        <translation>Y mis</translation>
    </message>
    <message>
        <source>Set a budget for each month</source>
        <translation>Gosod cyllideb ar gyfer pob mis</translation>
    </message>
    <message>
        <source>Lower the budget</source>
        <translation>Gostwng y gyllideb</translation>
    </message>
    <message>
        <source>Make the budget smaller</source>
        <translation>Gwneud y gyllideb yn llai</translation>
    </message>
    <message>
        <source>Raise the budget</source>
        <translation>Codi&apos;r gyllideb</translation>
    </message>
    <message>
        <source>Make the budget larger</source>
        <translation>Gwneud y gyllideb yn fwy</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Cyllideb</translation>
    </message>
    <message>
        <source>Dimmer</source>
        <translation>Tywyllach</translation>
    </message>
    <message>
        <source>Make the screen darker</source>
        <translation>Gwneud y sgrin yn dywyllach</translation>
    </message>
    <message>
        <source>Brighter</source>
        <translation>Disgleiriach</translation>
    </message>
    <message>
        <source>Make the screen brighter</source>
        <translation>Gwneud y sgrin yn fwy disglair</translation>
    </message>
    <message>
        <source>Dim when idle</source>
        <translation>Pylu pan fydd yn segur</translation>
    </message>
    <message>
        <source>Darken the screen after a minute without a touch</source>
        <translation>Tywyllu&apos;r sgrin ar ôl munud heb gyffyrddiad</translation>
    </message>
    <message>
        <source>Brightness</source>
        <translation>Disgleirdeb</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Arferol</translation>
    </message>
    <message>
        <source>Normal text size</source>
        <translation>Maint testun arferol</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Mawr</translation>
    </message>
    <message>
        <source>Text one and a half times as large</source>
        <translation>Testun un waith a hanner mor fawr</translation>
    </message>
    <message>
        <source>Largest</source>
        <translation>Mwyaf</translation>
    </message>
    <message>
        <source>Text twice as large</source>
        <translation>Testun ddwywaith mor fawr</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Maint y testun</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Ymlaen</translation>
    </message>
    <message>
        <source>Black, white and yellow only</source>
        <translation>Du, gwyn a melyn yn unig</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>I ffwrdd</translation>
    </message>
    <message>
        <source>The usual colours</source>
        <translation>Y lliwiau arferol</translation>
    </message>
    <message>
        <source>High contrast on</source>
        <translation>Cyferbyniad uchel ymlaen</translation>
    </message>
    <message>
        <source>High contrast off</source>
        <translation>Cyferbyniad uchel i ffwrdd</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Cyferbyniad uchel</translation>
    </message>
    <message>
        <source>Show the display in this language</source>
        <translation>Dangos y sgrin yn yr iaith hon</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Iaith</translation>
    </message>
    <message>
        <source>Play a chime when an alert appears</source>
        <translation>Canu cloch pan fydd rhybudd yn ymddangos</translation>
    </message>
    <message>
        <source>Alerts are silent</source>
        <translation>Rhybuddion yn dawel</translation>
    </message>
    <message>
        <source>Alert sound on</source>
        <translation>Sain rhybudd ymlaen</translation>
    </message>
    <message>
        <source>Alert sound off</source>
        <translation>Sain rhybudd i ffwrdd</translation>
    </message>
    <message>
        <source>Alert sound</source>
        <translation>Sain rhybudd</translation>
    </message>
    <message>
        <source>Move with Tab or the arrow keys</source>
        <translation>Symud gyda&apos;r fysell Tab neu&apos;r bysellau saeth</translation>
    </message>
    <message>
        <source>Every {n} s</source>
        <translation>Bob {n} eiliad</translation>
    </message>
    <message>
        <source>Move to the next control by itself; press the switch to choose</source>
        <translation>Symud i&apos;r rheolydd nesaf ar ei ben ei hun; pwyswch y switsh i ddewis</translation>
    </message>
    <message>
        <source>Switch scanning off</source>
        <translation>Sganio switsh i ffwrdd</translation>
    </message>
    <message>
        <source>Switch scanning</source>
        <translation>Sganio switsh</translation>
    </message>
    <message>
        <source>Installer settings</source>
        <translation>Gosodiadau&apos;r gosodwr</translation>
    </message>
    <message>
        <source>For the installer: needs the installer PIN</source>
        <translation>I&apos;r gosodwr: angen PIN y gosodwr</translation>
    </message>
    <message>
        <source>Researcher</source>
        <translation>Ymchwilydd</translation>
    </message>
    <message>
        <source>For the researcher: needs the researcher PIN</source>
        <translation>I&apos;r ymchwilydd: angen PIN yr ymchwilydd</translation>
    </message>
    <message>
        <source>Installer</source>
        <translation>Gosodwr</translation>
    </message>
    <message>
        <source>Change PIN</source>
        <translation>Newid y PIN</translation>
    </message>
    <message>
        <source>Choose a new installer PIN</source>
        <translation>Dewis PIN gosodwr newydd</translation>
    </message>
    <message>
        <source>Lock and go back</source>
        <translation>Cloi a mynd yn ôl</translation>
    </message>
    <message>
        <source>Lock the installer settings and return to Settings</source>
        <translation>Cloi gosodiadau&apos;r gosodwr a mynd yn ôl i&apos;r Gosodiadau</translation>
    </message>
    <message>
        <source>Brightness {n} percent</source>
        <translation>Disgleirdeb {n} y cant</translation>
    </message>
    <message>
        <source>✓ Dim when idle</source>
        <translation>✓ Pylu pan fydd yn segur</translation>
    </message>
    <message>
        <source>Budget {amount}</source>
        <translation>Cyllideb {amount}</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Dismiss</source>
        <translation>Cau</translation>
    </message>
    <message>
        <source>Close this alert</source>
        <translation>Cau&apos;r rhybudd hwn</translation>
    </message>
    <message>
        <source>Go to the screen this alert is about</source>
        <translation>Mynd i&apos;r sgrin y mae&apos;r rhybudd hwn yn sôn amdani</translation>
    </message>
</context>
<context>
    <name>TabBar</name>
    <message>
        <source>Go to the {screen} screen</source>
        <translation>Mynd i&apos;r sgrin {screen}</translation>
    </message>
    <message>
        <source>☰ Menu: all screens</source>
        <translation>☰ Dewislen: pob sgrin</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Dewislen</translation>
    </message>
    <message>
        <source>Show a list of all the screens</source>
        <translation>Dangos rhestr o&apos;r holl sgriniau</translation>
    </message>
</context>
<context>
    <name>TariffScreen</name>
    <message>
        <source>Electricity</source>
        <translation>Trydan</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>Nwy</translation>
    </message>
    <message>
        <source>All rates:</source>
        <translation>Pob cyfradd:</translation>
    </message>
</context>
<context>
    <name>TariffViewModel</name>
    <message>
        <source>Day</source>
        <translation>Dydd</translation>
    </message>
    <message>
        <source>Night</source>
        <translation>Nos</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Brig</translation>
    </message>
    <message>
        <source>Off-peak</source>
        <translation>Allfrig</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Safonol</translation>
    </message>
    <message>
        <source>No meter for this fuel</source>
        <translation>Dim mesurydd ar gyfer y tanwydd hwn</translation>
    </message>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Changes to {price} after {threshold} kWh</source>
        <translation>Yn newid i {price} ar ôl {threshold} kWh</translation>
    </message>
    <message>
        <source>Later today: {bands}</source>
        <translation>Yn hwyrach heddiw: {bands}</translation>
    </message>
    <message>
        <source>Tomorrow: the same</source>
        <translation>Yfory: yr un fath</translation>
    </message>
    <message>
        <source>Tomorrow: {bands}</source>
        <translation>Yfory: {bands}</translation>
    </message>
    <message>
        <source>{time} {rate} {price}</source>
        <translation>{time} {rate} {price}</translation>
    </message>
    <message>
        <source>{bands} and {n} more</source>
        <translation>{bands} a {n} arall</translation>
    </message>
    <message>
        <source>{used} kWh {period}: at {block} price, the top one</source>
        <translation>{used} kWh {period}: ar bris {block}, yr uchaf</translation>
    </message>
    <message>
        <source>{used} of {threshold} kWh at {block} price {period}</source>
        <translation>{used} o {threshold} kWh ar bris {block} {period}</translation>
    </message>
    <message>
        <source>the first block</source>
        <translation>y bloc cyntaf</translation>
    </message>
    <message>
        <source>the second block</source>
        <translation>yr ail floc</translation>
    </message>
    <message>
        <source>the third block</source>
        <translation>y trydydd bloc</translation>
    </message>
    <message>
        <source>the fourth block</source>
        <translation>y pedwerydd bloc</translation>
    </message>
    <message>
        <source>the fifth block</source>
        <translation>y pumed bloc</translation>
    </message>
    <message>
        <source>block {n}</source>
        <translation>bloc {n}</translation>
    </message>
    <message>
        <source>this year</source>
        <translation>eleni</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>y mis hwn</translation>
    </message>
    <message>
        <source>today</source>
        <translation>heddiw</translation>
    </message>
    <message>
        <source>since {date}</source>
        <translation>ers {date}</translation>
    </message>
    <message>
        <source>Holiday prices on {days}</source>
        <translation>Prisiau gŵyl ar {days}</translation>
    </message>
    <message>
        <source>From {date}: {tariff}, standing charge {standing} a day</source>
        <translation>O {date}: {tariff}, tâl sefydlog {standing} y dydd</translation>
    </message>
    <message>
        <source>From {date}: {tariff}, {price}, {standing} a day</source>
        <translation>O {date}: {tariff}, {price}, {standing} y dydd</translation>
    </message>
    <message>
        <source>From {date}: {tariff}, {low} to {high} per kWh, {standing} a day</source>
        <translation>O {date}: {tariff}, {low} i {high} y kWh, {standing} y dydd</translation>
    </message>
    <message>
        <source>a new tariff</source>
        <translation>tariff newydd</translation>
    </message>
    <message>
        <source>Rate {n}</source>
        <translation>Cyfradd {n}</translation>
    </message>
    <message>
        <source>Standing charge {amount} a day</source>
        <translation>Tâl sefydlog {amount} y dydd</translation>
    </message>
    <message>
        <source>{rate}: {price}</source>
        <translation>{rate}: {price}</translation>
    </message>
    <message>
        <source>Now: {band}</source>
        <translation>Nawr: {band}</translation>
    </message>
    <message>
        <source>Prices include VAT.</source>
        <translation>Mae&apos;r prisiau&apos;n cynnwys TAW.</translation>
    </message>
    <message>
        <source>Prices exclude VAT.</source>
        <translation>Nid yw&apos;r prisiau&apos;n cynnwys TAW.</translation>
    </message>
    <message>
        <source>Changes at {time} to {price}{label}</source>
        <translation>Yn newid am {time} i {price}{label}</translation>
    </message>
    <message>
        <source>Changes at {time}</source>
        <translation>Yn newid am {time}</translation>
    </message>
    <message>
        <source>No price change announced</source>
        <translation>Dim newid pris wedi&apos;i gyhoeddi</translation>
    </message>
</context>
<context>
    <name>UnitSwitch</name>
    <message>
        <source>£</source>
        <translation>£</translation>
    </message>
    <message>
        <source>Show pounds</source>
        <translation>Dangos punnoedd</translation>
    </message>
    <message>
        <source>Show cost in pounds and pence</source>
        <translation>Dangos y gost mewn punnoedd a cheiniogau</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>Show kilowatt hours</source>
        <translation>Dangos cilowat awr</translation>
    </message>
    <message>
        <source>Show energy in kilowatt hours</source>
        <translation>Dangos ynni mewn cilowat awr</translation>
    </message>
</context>
<context>
    <name>UsageScreen</name>
    <message>
        <source>Today</source>
        <translation>Heddiw</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Yr wythnos hon</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Y mis hwn</translation>
    </message>
    <message>
        <source>Show use and cost for this period</source>
        <translation>Dangos defnydd a chost y cyfnod hwn</translation>
    </message>
    <message>
        <source>Electricity</source>
        <translation>Trydan</translation>
    </message>
    <message>
        <source>Gas</source>
        <translation>Nwy</translation>
    </message>
</context>
<context>
    <name>UsageViewModel</name>
    <message>
        <source>Today</source>
        <translation>Heddiw</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Yr wythnos hon</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Y mis hwn</translation>
    </message>
    <message>
        <source>No meter for this fuel</source>
        <translation>Dim mesurydd ar gyfer y tanwydd hwn</translation>
    </message>
    <message>
        <source>Waiting for the meter…</source>
        <translation>Yn aros am y mesurydd…</translation>
    </message>
    <message>
        <source>Not recorded on this display</source>
        <translation>Heb ei gofnodi ar y sgrin hon</translation>
    </message>
    <message>
        <source>cost not known</source>
        <translation>cost anhysbys</translation>
    </message>
    <message>
        <source>electricity</source>
        <translation>trydan</translation>
    </message>
    <message>
        <source>gas</source>
        <translation>nwy</translation>
    </message>
    <message>
        <source>{fuel} {amount} a day</source>
        <translation>{fuel} {amount} y dydd</translation>
    </message>
    <message>
        <source>Costs include VAT and the daily standing charge</source>
        <translation>Mae&apos;r costau&apos;n cynnwys TAW a&apos;r tâl sefydlog dyddiol</translation>
    </message>
    <message>
        <source>Costs include the daily standing charge but not VAT</source>
        <translation>Mae&apos;r costau&apos;n cynnwys y tâl sefydlog dyddiol ond nid TAW</translation>
    </message>
    <message>
        <source>Costs include VAT but not the daily standing charge</source>
        <translation>Mae&apos;r costau&apos;n cynnwys TAW ond nid y tâl sefydlog dyddiol</translation>
    </message>
    <message>
        <source>Costs exclude VAT and the daily standing charge</source>
        <translation>Nid yw&apos;r costau&apos;n cynnwys TAW na&apos;r tâl sefydlog dyddiol</translation>
    </message>
    <message>
        <source>{kwh} used before the price was known is not in the cost.</source>
        <translation>Nid yw&apos;r {kwh} a ddefnyddiwyd cyn bod y pris yn hysbys wedi&apos;i gynnwys yn y gost.</translation>
    </message>
</context>
<context>
    <name>UtrnEntry</name>
    <message>
        <source>A top-up code has {need} digits; you entered {n}.</source>
        <translation>Mae gan god ychwanegu credyd {need} digid; rydych wedi rhoi {n}.</translation>
    </message>
    <message>
        <source>That code is not valid: please check the digits.</source>
        <translation>Nid yw&apos;r cod hwnnw&apos;n ddilys: gwiriwch y digidau.</translation>
    </message>
    <message>
        <source>A top-up code is only the digits 0 to 9: please check for letters or symbols.</source>
        <translation>Dim ond y digidau 0 i 9 sydd mewn cod ychwanegu credyd: gwiriwch am lythrennau neu symbolau.</translation>
    </message>
    <message>
        <source>That is not a top-up code: please check the digits.</source>
        <translation>Nid cod ychwanegu credyd yw hwnnw: gwiriwch y digidau.</translation>
    </message>
</context>
</TS>
