<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="128"/>
        <source>About %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="135"/>
        <source>One inbox for the messages, discussions and claims of an Allegro shop&apos;s buyers, with the order beside each conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="138"/>
        <source>Version %1 · Python %2 · Qt for Python %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ArrivalsWarningDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="34"/>
        <source>Something new in this conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="35"/>
        <source>Since you opened this conversation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="37"/>
        <source>Send your reply anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="37"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="45"/>
        <source>• A reply queued by %1: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="46"/>
        <source>• A reply queued at another bench: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="48"/>
        <source>• The buyer %1 wrote: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/arrivals_warning.py" line="50"/>
        <source>• A reply from the shop (%1) sent: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AssignmentController</name>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="61"/>
        <source>%1 has this conversation now: it stays theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="77"/>
        <source>the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="90"/>
        <source>Handed to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="98"/>
        <source>Take the conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="99"/>
        <source>%1 has this conversation. Take it anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="104"/>
        <source>Take it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="106"/>
        <source>Leave it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_controller.py" line="128"/>
        <source>Who has the conversation could not be saved. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AssignmentHeader</name>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_header.py" line="29"/>
        <source>Take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_header.py" line="31"/>
        <source>Take the conversation: it shows in “Mine” here and as yours on every bench (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_header.py" line="33"/>
        <source>Release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_header.py" line="35"/>
        <source>Hand to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_header.py" line="62"/>
        <source>Yours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/assignment_header.py" line="64"/>
        <source>Taken by %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentDownloader</name>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="57"/>
        <source>Attachments can be downloaded when the connection to Allegro is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="63"/>
        <source>Downloading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="88"/>
        <source>downloading an attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="86"/>
        <source>This attachment cannot be downloaded: its number is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="79"/>
        <source>Saved as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="108"/>
        <source>No program to open the attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="109"/>
        <source>No program on this computer opens “%1”. It was saved as:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="123"/>
        <source>Attachment not opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="124"/>
        <source>“%1” was not opened: it is not an image, a PDF or plain text, or its content does not match its name. It was saved in the attachments folder. Open it only if you trust the sender and know what it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="115"/>
        <location filename="../../magazyn_desktop/ui/attachment_downloader.py" line="131"/>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClaimDecisionDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="67"/>
        <source>Decide the claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="86"/>
        <source>The claim of %1. Allegro sends the decision and the message to the buyer; a decision sent cannot be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="93"/>
        <source>Accept the claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="94"/>
        <source>Reject or close the claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="109"/>
        <source>for example 25,50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="110"/>
        <source>Amount refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="115"/>
        <source>Amount refunded:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="123"/>
        <source>Message to the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="124"/>
        <source>Why you decide so, and what happens next (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="133"/>
        <source>Next…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="136"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="148"/>
        <source>Message to the buyer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="161"/>
        <source>Allegro applies the decision at once and the buyer is told; it cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="163"/>
        <source>Yes, send the decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="165"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="254"/>
        <source>Accept the claim of buyer %1 for order %2: %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="255"/>
        <source>Accept the claim of buyer %1: %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="257"/>
        <source>Close the claim of buyer %1 for order %2 as withdrawn by the buyer?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="258"/>
        <source>Close the claim of buyer %1 as withdrawn by the buyer?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="260"/>
        <source>Reject the claim of buyer %1 for order %2? Reason: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="261"/>
        <source>Reject the claim of buyer %1? Reason: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="267"/>
        <source>repair of the product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="268"/>
        <source>refund of the money</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="269"/>
        <source>exchange for a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="271"/>
        <source>the buyer did not send what we asked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="272"/>
        <source>the product was not sent back to us</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="273"/>
        <source>the buyer damaged the product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="275"/>
        <source>the product works and is as the offer says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="276"/>
        <source>the defect is minor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="277"/>
        <source>another reason, given in the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_decision_dialog.py" line="281"/>
        <source>partial refund of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClaimHeader</name>
    <message>
        <location filename="../../magazyn_desktop/ui/claim_header.py" line="84"/>
        <source>Decision “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="277"/>
        <source>Write a reply… (Ctrl+Enter sends)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="114"/>
        <source>Attach file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="107"/>
        <source>Kind of message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="116"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="243"/>
        <source>Choose a conversation to reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="248"/>
        <source>This conversation is closed: Allegro does not accept replies to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="295"/>
        <source>A plain message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="296"/>
        <source>Ask to end the discussion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="298"/>
        <source>Ask for the product back – we give the return label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="299"/>
        <source>Ask for the product back – how, the message says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="300"/>
        <source>The product need not come back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="337"/>
        <source>Remove the files marked as gone or changed: the reply cannot be sent with them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="344"/>
        <source>The reply still holds %1: write the right text in its place or remove it before sending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="374"/>
        <source>%1 – the file is gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="375"/>
        <source>%1 is no longer where it was attached from. Remove it to send the reply, and attach the file again if it is needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="378"/>
        <source>%1 – the file has changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="379"/>
        <source>%1 has changed since it was attached. Remove it to send the reply, and attach it again if it is still the right file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="381"/>
        <source>Remove %1 from the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="430"/>
        <source>The reply is too long: shorten it to %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="440"/>
        <source>%1 cannot be sent: only PNG, GIF, BMP, TIFF, JPEG and PDF files are accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="442"/>
        <source>%1 cannot be sent: its name says %2, but the file is not a %2 file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="445"/>
        <source>%1 is too large: files up to %2 MB can be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="448"/>
        <source>%1 cannot be read. Check that the file still exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="476"/>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="477"/>
        <source>Images and PDF (*.png *.gif *.bmp *.tif *.tiff *.jpg *.jpeg *.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="249"/>
        <source>This claim was accepted and is decided: Allegro takes no more replies to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="251"/>
        <source>This claim was rejected and is decided: Allegro takes no more replies to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="253"/>
        <source>This discussion is closed: Allegro takes no more replies to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="254"/>
        <source>Allegro has paused the chat of this case: a reply can be sent when Allegro opens it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="279"/>
        <source>Replies cannot be sent here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/composer.py" line="120"/>
        <source>Send the reply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationController</name>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_controller.py" line="221"/>
        <source>This conversation is not saved on this computer yet. It opens when the connection to Allegro is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_controller.py" line="224"/>
        <source>No conversation found for “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationListDelegate</name>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_delegate.py" line="139"/>
        <source>(unknown buyer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_delegate.py" line="170"/>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_delegate.py" line="173"/>
        <source>needs reply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_model.py" line="343"/>
        <location filename="../../magazyn_desktop/ui/conversation_list_model.py" line="352"/>
        <source>(unknown buyer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_model.py" line="356"/>
        <source>unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_model.py" line="358"/>
        <source>needs reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_model.py" line="360"/>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_list_model.py" line="368"/>
        <source>taken by %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="125"/>
        <source>Decide the claim…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="127"/>
        <source>Accept or reject the claim, with a message to the buyer (Ctrl+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="180"/>
        <source>Choose a conversation from the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="217"/>
        <source>Loading the conversation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="222"/>
        <source>(unknown buyer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="227"/>
        <source>Order %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="232"/>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="234"/>
        <source>needs reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="238"/>
        <source>due %1 (%2)</source>
        <comment>a deadline: its date and time, then the time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="241"/>
        <source>kept only on this computer: Allegro no longer shows it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="250"/>
        <source>No messages yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="334"/>
        <source>Show earlier messages (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="342"/>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="344"/>
        <source>Select text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/conversation_view.py" line="351"/>
        <source>Open %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeadlineWords</name>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/labels.py" line="72"/>
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>%n day overdue</numerusform>
            <numerusform>%n days overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/labels.py" line="74"/>
        <source>%n h overdue</source>
        <translation>
            <numerusform>%n h overdue</numerusform>
            <numerusform>%n h overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/labels.py" line="75"/>
        <source>%n min overdue</source>
        <translation>
            <numerusform>%n min overdue</numerusform>
            <numerusform>%n min overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/labels.py" line="77"/>
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n day left</numerusform>
            <numerusform>%n days left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/labels.py" line="79"/>
        <source>%n h left</source>
        <translation>
            <numerusform>%n h left</numerusform>
            <numerusform>%n h left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/labels.py" line="80"/>
        <source>%n min left</source>
        <translation>
            <numerusform>%n min left</numerusform>
            <numerusform>%n min left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="23"/>
        <source>There is no connection to Allegro. Saved conversations can still be read; replies wait and are sent when the connection returns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="26"/>
        <source>Allegro did not answer in time. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="28"/>
        <source>Allegro is having trouble answering right now. Saved conversations can still be read; try again in a few minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="31"/>
        <source>Allegro asked for a short pause. Try again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="33"/>
        <source>Allegro did not accept the sign-in. Open Settings and connect the account again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="35"/>
        <source>Allegro does not know this conversation or order. Check the number and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="37"/>
        <source>Allegro refused the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="38"/>
        <source>Allegro&apos;s answer could not be read. Try again in a moment; if it happens again, tell the administrator (the details are in the program&apos;s log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="41"/>
        <source>It is not certain that Allegro received the reply. The program checks the conversation before it sends anything again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="44"/>
        <source>The disk is full. Nothing was lost: unsent replies stay queued. Free some disk space and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="47"/>
        <source>The database is in use by another program. Wait a moment and try again; if it lasts, close other copies of the program.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="50"/>
        <source>The program cannot write to its data folder: it is read-only or access is denied. Check the folder&apos;s permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="53"/>
        <source>The database file is damaged. Close the program and tell the administrator; nothing has been deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="56"/>
        <source>The team database does not answer. Nothing was lost: replies wait on this bench and go to the team once it answers again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="59"/>
        <source>A file on this computer could not be read or written. Try again; if it happens again, tell the administrator (the details are in the program&apos;s log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="62"/>
        <source>An attached file is missing from the program&apos;s data folder, so the reply was not sent. Write it again and attach the file anew.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="65"/>
        <source>The program stopped while the reply was being sent; it is being checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="67"/>
        <source>The reply did not reach Allegro; it will be sent again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="69"/>
        <source>The claim was decided on Allegro in another way than this decision asked, so it was not sent. Check the claim on Allegro.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="72"/>
        <source>An unexpected error occurred; the details are in the program&apos;s log. Try again; if it happens again, tell the administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/errors.py" line="81"/>
        <source>Allegro refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FillProgressNotice</name>
    <message>
        <location filename="../../magazyn_desktop/ui/fill_progress.py" line="43"/>
        <source>Downloading conversations: %1 of about %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="45"/>
        <source>Welcome to magazyn-desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="47"/>
        <source>Connect the shop&apos;s Allegro account to see buyers&apos; messages, purchase problems, discussions and claims in one place. You can also look around with demo data first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="52"/>
        <source>Allegro (production)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="53"/>
        <source>Allegro sandbox (for testing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="54"/>
        <source>Custom addresses (test server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="59"/>
        <source>the same as the API address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="63"/>
        <source>Connect account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="67"/>
        <source>Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="68"/>
        <source>API address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="69"/>
        <source>Sign-in address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="71"/>
        <source>Client ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="72"/>
        <source>Client secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="80"/>
        <source>Connect an Allegro account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="95"/>
        <source>Open the Allegro page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="97"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="102"/>
        <source>Confirm on Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="109"/>
        <source>Try the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="111"/>
        <source>Back to the conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="182"/>
        <source>Enter the API address of the test server, starting with https://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="185"/>
        <source>Enter the Client ID and the Client secret from the Allegro developer portal (apps.developer.allegro.pl).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="191"/>
        <source>Asking Allegro for a code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="201"/>
        <source>Open the Allegro page, sign in as the shop and confirm this code. This screen continues by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="208"/>
        <source>This computer has no usable password store (keyring): the sign-in tokens are kept for this session only, and you will sign in again after the program is restarted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="221"/>
        <source>Signing in was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="223"/>
        <source>The access was refused on the Allegro page. To connect the account, press “Connect account” again and confirm the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="226"/>
        <source>The code expired before it was confirmed. Press “Connect account” to get a new code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="229"/>
        <source>Allegro did not accept the Client ID or the Client secret. Check them at apps.developer.allegro.pl (the application must be of the “device” type) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="233"/>
        <source>Enter the Client ID and the Client secret; for custom addresses also the API address, starting with https://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/first_run.py" line="236"/>
        <source>Allegro could not be reached. Check the internet connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FoldersDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="92"/>
        <source>Data folder and logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="104"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="105"/>
        <source>Open %1 in the file manager</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/hand_over_dialog.py" line="18"/>
        <source>Hand the conversation to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/hand_over_dialog.py" line="19"/>
        <source>Who should take over the conversation with %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/hand_over_dialog.py" line="24"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/hand_over_dialog.py" line="30"/>
        <source>Choose or type a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/hand_over_dialog.py" line="33"/>
        <source>Hand over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/hand_over_dialog.py" line="39"/>
        <source>Now: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeldReplyDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/held_reply_dialog.py" line="26"/>
        <source>Send anyway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InboxTray</name>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="48"/>
        <source>Show the inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="49"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="79"/>
        <source>Deadlines within a working day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="87"/>
        <source>%1: deadline within a working day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="88"/>
        <source>%1, due %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="88"/>
        <source>(unknown buyer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/tray.py" line="93"/>
        <source>%n more deadlines within a working day</source>
        <translation>
            <numerusform>%n more deadline within a working day</numerusform>
            <numerusform>%n more deadlines within a working day</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/tray.py" line="97"/>
        <source>magazyn-desktop: %n unread</source>
        <translation>
            <numerusform>magazyn-desktop: %n unread</numerusform>
            <numerusform>magazyn-desktop: %n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/tray.py" line="100"/>
        <source>%n more new messages</source>
        <translation>
            <numerusform>%n more new message</numerusform>
            <numerusform>%n more new messages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/tray.py" line="62"/>
        <source>New message from a buyer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="19"/>
        <source>magazyn-desktop</source>
        <comment>the program&apos;s name in window titles</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="24"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="26"/>
        <source>Purchase problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="28"/>
        <source>Discussion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="30"/>
        <source>Claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="36"/>
        <source>Buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="38"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="40"/>
        <source>Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="50"/>
        <source>waiting for the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="52"/>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="54"/>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="56"/>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="58"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="61"/>
        <source>uncertain, checking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="95"/>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="96"/>
        <source>processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="97"/>
        <source>ready for shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="98"/>
        <source>ready for pickup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="99"/>
        <source>sent</source>
        <comment>order status</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="100"/>
        <source>picked up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="101"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="102"/>
        <source>suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="103"/>
        <source>returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="139"/>
        <source>no reply needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/labels.py" line="143"/>
        <source>reminder %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="567"/>
        <source>The saved conversations could not be read. Restart the program; if it happens again, tell the administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="240"/>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="245"/>
        <source>Search or scan: text, buyer, order, parcel number (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="247"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="259"/>
        <source>Ctrl+%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="436"/>
        <source>&amp;Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="437"/>
        <source>Check for new messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="440"/>
        <source>Reply templates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="443"/>
        <source>Decide the claim…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="447"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="449"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="473"/>
        <source>Insert a reply template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="491"/>
        <source>No reply needed, or a reply after all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="496"/>
        <source>Take the conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="499"/>
        <source>Undo “No reply needed”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="503"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="504"/>
        <source>Larger text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="507"/>
        <source>Smaller text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="510"/>
        <source>Normal text size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="513"/>
        <source>Order panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="845"/>
        <source>Marked as needing no reply (Ctrl+Z undoes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="857"/>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="910"/>
        <source>the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="866"/>
        <source>The note was not saved: this conversation is no longer on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="868"/>
        <source>The note was not saved: it is empty or too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="895"/>
        <source>Only an open claim can be decided, and only once: open the claim first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="899"/>
        <source>Not connected to Allegro yet. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="936"/>
        <source>The decision is saved and being sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1103"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1104"/>
        <source>Needs reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1105"/>
        <source>Unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1106"/>
        <source>Problems and claims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1107"/>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1108"/>
        <source>Reminders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1109"/>
        <source>Deadlines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1110"/>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1230"/>
        <source>The settings could not be saved. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1144"/>
        <source>%n unread</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="467"/>
        <source>Search or scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="468"/>
        <source>Write a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="474"/>
        <source>Back to the list (clears the search)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="478"/>
        <source>Show: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="525"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="526"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="529"/>
        <source>Data folder and logs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="531"/>
        <source>About %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1293"/>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="1293"/>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageCardModel</name>
    <message>
        <location filename="../../magazyn_desktop/ui/message_card_model.py" line="192"/>
        <source>Download and open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/message_card_model.py" line="190"/>
        <source>Open %1, the file attached to this reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/message_card_model.py" line="174"/>
        <source>Internal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/message_card_model.py" line="192"/>
        <source>Open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/message_card_model.py" line="199"/>
        <source>Attachments: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/note_dialog.py" line="15"/>
        <source>Add a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/note_dialog.py" line="16"/>
        <source>Only your team sees this note; it is never sent to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/note_dialog.py" line="19"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/note_dialog.py" line="52"/>
        <source>A note can be at most %1 characters long; this one has %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NothingFoundNotice</name>
    <message>
        <location filename="../../magazyn_desktop/ui/search_notice.py" line="70"/>
        <source>Nothing found for “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/search_notice.py" line="76"/>
        <source>Check the spelling or clear the search (Esc).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderCard</name>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="83"/>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="90"/>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="251"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="83"/>
        <source>Copy the order number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="86"/>
        <source>Open in Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="90"/>
        <source>Copy the buyer&apos;s login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="108"/>
        <source>Bought:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="109"/>
        <source>Buyer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="110"/>
        <source>Delivery:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="111"/>
        <source>Pickup point:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="112"/>
        <source>Delivery address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="113"/>
        <source>Payment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="114"/>
        <source>Invoice:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="115"/>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="117"/>
        <source>Parcels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="120"/>
        <source>Items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="175"/>
        <source>Buyer&apos;s note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="209"/>
        <source>cash on delivery, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="209"/>
        <source>cash on delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="214"/>
        <source>paid %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="215"/>
        <source>not paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="220"/>
        <source>yes, the buyer wants an invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="220"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="231"/>
        <source>SKU: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="231"/>
        <source>%1 pcs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="234"/>
        <source>%1 each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="242"/>
        <source>No parcel yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="251"/>
        <source>Copy the tracking number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_card.py" line="255"/>
        <source>Track parcel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderLoader</name>
    <message>
        <location filename="../../magazyn_desktop/ui/order_loader.py" line="128"/>
        <source>Order %1: details appear when the connection to Allegro is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_loader.py" line="182"/>
        <source>Order %1 is not available on Allegro (deleted, or another seller&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_loader.py" line="199"/>
        <source>Loading the buyer&apos;s orders…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_loader.py" line="209"/>
        <source>The buyer has no orders with this shop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_loader.py" line="246"/>
        <source>Pick the order this conversation is about.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_loader.py" line="256"/>
        <source>This conversation is not linked to an order.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderPanel</name>
    <message>
        <location filename="../../magazyn_desktop/ui/order_panel.py" line="42"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_panel.py" line="53"/>
        <source>Change order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_panel.py" line="55"/>
        <source>The buyer&apos;s recent orders; pick the one this conversation is about:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_panel.py" line="63"/>
        <source>Link this order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_panel.py" line="78"/>
        <source>Select a conversation to see its order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/order_panel.py" line="152"/>
        <source>Loading order %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <location filename="../../magazyn_desktop/ui/presence_marks.py" line="28"/>
        <source>%1 is writing a reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/presence_marks.py" line="30"/>
        <source>%1 are writing a reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/presence_marks.py" line="43"/>
        <source>%1 has it open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/presence_marks.py" line="45"/>
        <source>%1 have it open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/presence_marks.py" line="55"/>
        <source>%1 has this conversation open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/presence_marks.py" line="56"/>
        <source>%1 have this conversation open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReminderDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/reminder_dialog.py" line="16"/>
        <source>Remind me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reminder_dialog.py" line="17"/>
        <source>On this day the conversation shows in “Reminders”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reminder_dialog.py" line="23"/>
        <source>Reminder date</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyController</name>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_controller.py" line="91"/>
        <source>saving the draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_controller.py" line="118"/>
        <source>Not connected to Allegro yet. The reply stays here as a draft; send it again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_controller.py" line="154"/>
        <source>%1 cannot be sent: it changed or disappeared after it was attached. Remove it and attach a PNG, GIF, BMP, TIFF, JPEG or PDF file of at most %2 MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_controller.py" line="159"/>
        <source>The reply was not sent: %1 took this conversation, and only they may answer it. Ask %1 to hand it to you, or leave the reply to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_controller.py" line="163"/>
        <source>queueing the reply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyTemplates</name>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_templates.py" line="91"/>
        <source>reading the reply templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/reply_templates.py" line="149"/>
        <source>The templates are saved. Check the placeholders of: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RowMenu</name>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="62"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="63"/>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="485"/>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="67"/>
        <source>Mark as unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="488"/>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="70"/>
        <source>Mark as read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/main_window.py" line="493"/>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="74"/>
        <source>Add a note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="52"/>
        <source>Release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="54"/>
        <source>Take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="55"/>
        <source>Hand to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="72"/>
        <source>Needs a reply after all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="72"/>
        <source>No reply needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="75"/>
        <source>Remind…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="77"/>
        <source>Remove the reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="84"/>
        <source>Copy the buyer&apos;s login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="87"/>
        <source>Copy the order number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/row_menu.py" line="88"/>
        <source>Copy the conversation number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RulesWarningDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/messaging_rules_warning.py" line="30"/>
        <source>Allegro may block this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/messaging_rules_warning.py" line="31"/>
        <source>Allegro does not deliver seller messages that repeat its own notices or carry fiscal documents. This reply looks like one:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/messaging_rules_warning.py" line="33"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/messaging_rules_warning.py" line="40"/>
        <source>• %1: the file %2 (“%3”)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/messaging_rules_warning.py" line="42"/>
        <source>• %1: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanSearch</name>
    <message>
        <location filename="../../magazyn_desktop/ui/scan_search.py" line="79"/>
        <source>The scanned code “%1” matches no conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/scan_search.py" line="83"/>
        <source>Nothing found for “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="53"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="60"/>
        <source>Only the person who took a conversation may answer it (for every bench of the team)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="74"/>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="82"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="76"/>
        <source>Mark a conversation as read when it has been open for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="86"/>
        <source>Show a notification for each new buyer message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="89"/>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="142"/>
        <source>Allegro (production)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="90"/>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="143"/>
        <source>Allegro sandbox (for testing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="91"/>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="144"/>
        <source>Custom addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="100"/>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="102"/>
        <source>Keys that follow each other faster than this, ending in Enter, are taken as a scan wherever the cursor is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="108"/>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="109"/>
        <source>Beep when a scanned code matches no conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="111"/>
        <source>A new language or environment is used after the program is restarted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="115"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="116"/>
        <source>Check for new messages every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="123"/>
        <source>Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="124"/>
        <source>API address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="125"/>
        <source>Sign-in address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="126"/>
        <source>Scanner, longest gap between keys:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="127"/>
        <source>Scanner prefix:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="128"/>
        <source>Scanner ends a code with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="141"/>
        <source>Allegro account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="144"/>
        <source>demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="146"/>
        <source>No account is connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="148"/>
        <source>(login not known yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="150"/>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="150"/>
        <source>signed out: connect it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="151"/>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="154"/>
        <source>Connect again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="155"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/settings_dialog.py" line="156"/>
        <source>Removes this computer&apos;s sign-in tokens from the password store; the saved conversations stay.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="56"/>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="58"/>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/help_dialogs.py" line="58"/>
        <source>What they do</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInBanner</name>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_banner.py" line="24"/>
        <source>Connect again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_banner.py" line="35"/>
        <source>the Allegro account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_banner.py" line="37"/>
        <source>Sign in again to fetch and send messages: this computer has no working password store, so the sign-in of %1 cannot be kept when the program closes. The saved conversations can be read meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_banner.py" line="41"/>
        <source>Allegro no longer accepts the sign-in of %1. The saved conversations can be read and replies wait in the queue; connect the account again to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_banner.py" line="44"/>
        <source>%1 is signed out. The saved conversations can be read; connect the account again to fetch and send messages.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInController</name>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_controller.py" line="93"/>
        <location filename="../../magazyn_desktop/ui/sign_in_controller.py" line="172"/>
        <source>The program is still starting. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_controller.py" line="151"/>
        <source>Signed out. The saved conversations can still be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_controller.py" line="208"/>
        <source>Signing in was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_controller.py" line="218"/>
        <source>The Allegro account is connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sign_in_controller.py" line="220"/>
        <source>The Allegro account is connected. No usable password store (keyring): tokens kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../magazyn_desktop/ui/status_line.py" line="69"/>
        <source>Dismiss this message (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/status_line.py" line="70"/>
        <source>Dismiss this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/status_line.py" line="107"/>
        <source>%1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="199"/>
        <source>Allegro asked for a pause; next check at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="207"/>
        <source>The check took too long; the next one goes on from there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="98"/>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="104"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="119"/>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="132"/>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="153"/>
        <source>Not connected to Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="161"/>
        <source>Checking for new messages…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="176"/>
        <source>Checking for new messages… %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="196"/>
        <source>checking for new messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="204"/>
        <source>Allegro is answering with server errors; the next check is at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="209"/>
        <source>Allegro no longer accepts this program&apos;s sign-in: press “Connect again” above the conversations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="213"/>
        <source>Checked at %1. Conversations that could not be read: %2 (details in the program&apos;s log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="217"/>
        <source>Up to date (checked at %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="284"/>
        <source>No connection to Allegro. Saved conversations can be read; replies wait in the queue and are sent when the connection returns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="286"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/sync_controller.py" line="323"/>
        <source>sending replies</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TeamAwayBanner</name>
    <message>
        <location filename="../../magazyn_desktop/ui/team_away.py" line="51"/>
        <source>No connection to the team database — replies wait on this bench (%1). The conversations shown are those read before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/team_away.py" line="54"/>
        <source>No connection to the team database. The conversations shown are those read before; a reply sent now waits on this bench.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TeamChanges</name>
    <message>
        <location filename="../../magazyn_desktop/ui/team_changes.py" line="66"/>
        <source>No connection to the team database: the conversations shown are those read before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/team_changes.py" line="70"/>
        <source>Team database · this bench is not signed in to Allegro: it reads and queues replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/team_changes.py" line="72"/>
        <source>Team database · this bench fetches from Allegro for the team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/team_changes.py" line="74"/>
        <source>Team database · another bench fetches from Allegro</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplatePicker</name>
    <message>
        <location filename="../../magazyn_desktop/ui/template_picker.py" line="27"/>
        <source>Insert a template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/template_picker.py" line="30"/>
        <source>Type part of the name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/template_picker.py" line="31"/>
        <source>Template name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/template_picker.py" line="34"/>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/template_picker.py" line="36"/>
        <source>No template has that in its name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/template_picker.py" line="38"/>
        <source>Enter inserts, Esc closes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="49"/>
        <source>Reply templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="56"/>
        <source>Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="59"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="59"/>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="60"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="60"/>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="61"/>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="71"/>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="96"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="74"/>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="98"/>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="83"/>
        <source>Attach file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="85"/>
        <source>Remove file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="91"/>
        <source>Placeholders: {login}, {numer_zamowienia}, {numer_przesylki}, {przewoznik}, {sposob_dostawy}, {punkt_odbioru}, {kwota}, {produkty}, {data}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="114"/>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="116"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="156"/>
        <source>New template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="161"/>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="194"/>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="224"/>
        <source>(no name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="234"/>
        <source>%1: no such placeholder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="235"/>
        <source>%1: braces around something that is not a placeholder name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="236"/>
        <source>%1: a brace that is not closed on its line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="237"/>
        <source>%1: a closing brace without its opening one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="263"/>
        <source>This template can be saved, but a reply from it needs correcting by hand: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="270"/>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="271"/>
        <source>No file is attached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="279"/>
        <source>Attach a file to the template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="280"/>
        <source>Images and PDF (*.png *.gif *.bmp *.tif *.tiff *.jpg *.jpeg *.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="288"/>
        <source>%1 cannot be read (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="289"/>
        <source>%1 is too large for a templates file (more than %2 MB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="290"/>
        <source>%1 is not a JSON file (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="291"/>
        <source>%1 is not a templates file of this program.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="292"/>
        <source>%1 was written by a newer version of the program (format %2): update the program to read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="294"/>
        <source>%1 has a missing or wrong value at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="295"/>
        <source>%1 has two templates named %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="296"/>
        <source>%1 names a file outside its folder: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="297"/>
        <source>%1 names a file that is not beside it: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="298"/>
        <source>%2 cannot be sent by Allegro: only PNG, GIF, BMP, TIFF, JPEG and PDF files of up to %3 MB are accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="315"/>
        <source>Nothing was imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="325"/>
        <source>Nothing was exported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="328"/>
        <source>exporting the templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="333"/>
        <source>Import templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="334"/>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="340"/>
        <source>Templates (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="339"/>
        <source>Export templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="347"/>
        <source>Every template needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="352"/>
        <source>Two templates are named %1: give one another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../magazyn_desktop/ui/templates_dialog.py" line="360"/>
        <source>saving the templates</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
